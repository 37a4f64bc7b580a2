/**
 * Field-level encryption of ID numbers (AES-256-GCM) and an HMAC-SHA256 blind index for lookups
 * by ID without decrypting. Locally the keys live in a key file created on first start
 * (DATA_KEY_FILE, mode 0600); in AWS the data key is a KMS data key (see docs/security.md).
 * Ciphertext format: `enc:v1:<keyId>:<iv b64>:<ciphertext+tag b64>`.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(value: string): string;
  isEncrypted(value: string): boolean;
  blindIndex(plain: string): string;
}

interface KeyMaterial {
  keyId: string;
  dataKey: Buffer;
  indexKey: Buffer;
}

const PREFIX = 'enc:v1:';

export class AesGcmFieldCipher implements FieldCipher {
  constructor(private readonly keys: KeyMaterial) {
    if (keys.dataKey.length !== 32 || keys.indexKey.length < 32)
      throw new Error('field cipher keys must be 32 bytes');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.dataKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.keys.keyId}:${iv.toString('base64')}:${body.toString('base64')}`;
  }

  decrypt(value: string): string {
    if (!this.isEncrypted(value)) throw new Error('value is not encrypted');
    const [keyId, ivB64, bodyB64] = value.slice(PREFIX.length).split(':');
    if (keyId !== this.keys.keyId || !ivB64 || !bodyB64) throw new Error(`unknown field key ${keyId}`);
    const body = Buffer.from(bodyB64, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.keys.dataKey, Buffer.from(ivB64, 'base64'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }

  isEncrypted(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  blindIndex(plain: string): string {
    return createHmac('sha256', this.keys.indexKey).update(plain.toUpperCase()).digest('hex');
  }
}

/** Loads (or on first use creates) the local key file. */
export function localFieldCipher(file: string): AesGcmFieldCipher {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const material = {
      keyId: `local-${randomBytes(4).toString('hex')}`,
      dataKey: randomBytes(32).toString('base64'),
      indexKey: randomBytes(32).toString('base64'),
    };
    writeFileSync(file, JSON.stringify(material), { mode: 0o600, flag: 'wx' });
  }
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { keyId: string; dataKey: string; indexKey: string };
  return new AesGcmFieldCipher({
    keyId: raw.keyId,
    dataKey: Buffer.from(raw.dataKey, 'base64'),
    indexKey: Buffer.from(raw.indexKey, 'base64'),
  });
}
