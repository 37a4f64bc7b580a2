import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  AesGcmFieldCipher,
  kmsFieldCipher,
  localFieldCipher,
  newKeyMaterial,
} from '#adapters/crypto/field-cipher';

const material = (stored: ReturnType<typeof newKeyMaterial>) => ({
  keyId: stored.keyId,
  dataKey: Buffer.from(stored.dataKey, 'base64'),
  indexKey: Buffer.from(stored.indexKey, 'base64'),
});

describe('field cipher for 身份证号', () => {
  it('round-trips, never repeats a ciphertext and never contains the clear value', () => {
    const cipher = localFieldCipher(join(mkdtempSync(join(tmpdir(), 'fc-')), 'keys.json'));
    const a = cipher.encrypt('330382199503120249');
    const b = cipher.encrypt('330382199503120249');
    expect(a).not.toBe(b);
    expect(a).not.toContain('330382199503120249');
    expect(cipher.decrypt(a)).toBe('330382199503120249');
  });

  it('gives the same blind index for the same ID (case-insensitive X) and another for another ID', () => {
    const cipher = new AesGcmFieldCipher(material(newKeyMaterial('t')));
    expect(cipher.blindIndex('33038219980101046x')).toBe(cipher.blindIndex('33038219980101046X'));
    expect(cipher.blindIndex('330382199503120249')).not.toBe(cipher.blindIndex('330382199307080155'));
  });

  it('rejects a tampered ciphertext', () => {
    const cipher = new AesGcmFieldCipher(material(newKeyMaterial('t')));
    const value = cipher.encrypt('330382199503120249');
    const tampered = `${value.slice(0, -4)}AAAA`;
    expect(() => cipher.decrypt(tampered)).toThrow();
  });

  it('decrypts values written under an older key after rotation, and encrypts with the newest', () => {
    const old = material(newKeyMaterial('old'));
    const next = material(newKeyMaterial('new'));
    const before = new AesGcmFieldCipher(old).encrypt('330382199503120249');
    const rotated = new AesGcmFieldCipher([next, old]);
    expect(rotated.decrypt(before)).toBe('330382199503120249');
    expect(rotated.encrypt('x')).toContain(':new-');
  });

  it('loads its keys from KMS ciphertexts in AWS (KMS mocked: there is no local KMS)', async () => {
    const stored = newKeyMaterial('kms');
    const kms = new KMSClient({ region: 'ap-east-1' });
    const mock = mockClient(kms);
    mock.on(DecryptCommand).resolves({ Plaintext: Buffer.from(JSON.stringify(stored)) });
    const cipher = await kmsFieldCipher(kms, ['Y2lwaGVydGV4dA==']);
    expect(cipher.decrypt(cipher.encrypt('330382199503120249'))).toBe('330382199503120249');
    expect(mock.commandCalls(DecryptCommand)).toHaveLength(1);
    mock.restore();
  });
});
