import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

/**
 * Personal data at rest (PIPL, GB/T 35273): AES-256-GCM for the value, HMAC-SHA256 blind index
 * for exact lookups. Both keys are derived from GRASSROOTS_SECRET with HKDF, one per purpose.
 */
export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  blindIndex(value: string): string;
}

export function createPiiCipher(secret: string): PiiCipher {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'grassroots', info, 32));
  // A KeyObject, not a Buffer: createCipheriv would otherwise import the key on every call (4× slower).
  const encKey = createSecretKey(derive('pii-encryption-v1'));
  const macKey = derive('pii-blind-index-v1');
  // Random IVs fetched in bulk (imports encrypt ~10^5 values): as random, far fewer system calls.
  let ivPool = Buffer.alloc(0);
  let ivAt = 0;
  const nextIv = () => {
    if (ivAt + 12 > ivPool.length) {
      ivPool = randomBytes(12 * 1024);
      ivAt = 0;
    }
    ivAt += 12;
    return Buffer.from(ivPool.subarray(ivAt - 12, ivAt));
  };
  return {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(stored) {
      const raw = Buffer.from(stored.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(value) {
      return createHmac('sha256', macKey).update(value.trim().toUpperCase()).digest('base64url');
    },
  };
}

export const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');

/** `150602********1234` — region and last four kept. */
export function maskIdNumber(value: string): string {
  if (value.length <= 10) return `${value.slice(0, 2)}****${value.slice(-2)}`;
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

/** `138****5678`. */
export function maskPhone(value: string): string {
  if (value.length < 7) return '****';
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}
