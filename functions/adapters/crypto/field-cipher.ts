/**
 * Field-level encryption of ID numbers (AES-256-GCM) and an HMAC-SHA256 blind index for lookups
 * by ID without decrypting. Envelope encryption: the data and index keys are themselves
 * encrypted under a KMS key in AWS (FIELD_KEYS_CIPHERTEXT, decrypted once per cold start) or kept
 * in a local key file (DATA_KEY_FILE, mode 0600) for `npm start`. Several keys may be configured
 * (rotation): the first encrypts, any of them decrypts by its key id.
 * Ciphertext format: `enc:v1:<keyId>:<iv b64>:<ciphertext+tag b64>`.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';

export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(value: string): string;
  isEncrypted(value: string): boolean;
  blindIndex(plain: string): string;
}

export interface KeyMaterial {
  keyId: string;
  dataKey: Buffer;
  indexKey: Buffer;
}

const PREFIX = 'enc:v1:';

export class AesGcmFieldCipher implements FieldCipher {
  private readonly byId: Map<string, KeyMaterial>;
  private readonly current: KeyMaterial;

  constructor(keys: KeyMaterial | KeyMaterial[]) {
    const ring = Array.isArray(keys) ? keys : [keys];
    if (ring.length === 0) throw new Error('field cipher needs at least one key');
    for (const k of ring) {
      if (k.dataKey.length !== 32 || k.indexKey.length < 32)
        throw new Error('field cipher keys must be 32 bytes');
    }
    this.current = ring[0] as KeyMaterial;
    this.byId = new Map(ring.map((k) => [k.keyId, k]));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.dataKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.current.keyId}:${iv.toString('base64')}:${body.toString('base64')}`;
  }

  decrypt(value: string): string {
    if (!this.isEncrypted(value)) throw new Error('value is not encrypted');
    const [keyId, ivB64, bodyB64] = value.slice(PREFIX.length).split(':');
    const key = keyId ? this.byId.get(keyId) : undefined;
    if (!key || !ivB64 || !bodyB64) throw new Error(`unknown field key ${keyId}`);
    const body = Buffer.from(bodyB64, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key.dataKey, Buffer.from(ivB64, 'base64'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }

  isEncrypted(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** Always with the first key: a blind index must not change when data keys rotate. */
  blindIndex(plain: string): string {
    return createHmac('sha256', this.current.indexKey).update(plain.toUpperCase()).digest('hex');
  }
}

interface StoredKeys {
  keyId: string;
  dataKey: string;
  indexKey: string;
}

const fromStored = (raw: StoredKeys): KeyMaterial => ({
  keyId: raw.keyId,
  dataKey: Buffer.from(raw.dataKey, 'base64'),
  indexKey: Buffer.from(raw.indexKey, 'base64'),
});

/** A fresh key pair in the stored JSON form (local key file, or the plaintext to encrypt with KMS). */
export function newKeyMaterial(prefix: string): StoredKeys {
  return {
    keyId: `${prefix}-${randomBytes(4).toString('hex')}`,
    dataKey: randomBytes(32).toString('base64'),
    indexKey: randomBytes(32).toString('base64'),
  };
}

/** Loads (or on first use creates) the local key file. */
export function localFieldCipher(file: string): AesGcmFieldCipher {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(newKeyMaterial('local')), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process won the race
    }
  }
  return new AesGcmFieldCipher(fromStored(JSON.parse(readFileSync(file, 'utf8')) as StoredKeys));
}

/**
 * AWS: each entry of `ciphertexts` (base64 KMS ciphertext blobs of the stored-keys JSON, made at
 * deploy time with `aws kms encrypt`, see docs/security.md) is decrypted once with KMS; the
 * first one is current. The function needs kms:Decrypt on that key and nothing else.
 */
export async function kmsFieldCipher(kms: KMSClient, ciphertexts: string[]): Promise<AesGcmFieldCipher> {
  const keys = await Promise.all(
    ciphertexts.map(async (blob) => {
      const res = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(blob, 'base64') }));
      if (!res.Plaintext) throw new Error('KMS returned no plaintext for a field key');
      const stored = JSON.parse(Buffer.from(res.Plaintext).toString('utf8')) as StoredKeys;
      // Key ids derive from the ciphertext so two deployments can never clash.
      return fromStored({
        ...stored,
        keyId: stored.keyId || createHash('sha256').update(blob).digest('hex').slice(0, 12),
      });
    }),
  );
  return new AesGcmFieldCipher(keys);
}
