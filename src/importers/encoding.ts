import iconv from 'iconv-lite';

/** Text encodings accepted by the importers; "auto" detects UTF-8 (with or without a BOM) or CP949. */
export const ENCODING_CHOICES = ['auto', 'utf-8', 'cp949'] as const;
export type EncodingChoice = (typeof ENCODING_CHOICES)[number];

/** The encoding a file was decoded with. */
export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'cp949';

export interface DecodedText {
  text: string;
  encoding: DetectedEncoding;
}

/** Bytes that do not decode in the requested encoding. */
export class EncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodingError';
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((byte, index) => bytes[index] === byte);
}

/** Returns the 1-based line of the first byte sequence that is not valid UTF-8. */
function firstInvalidUtf8Line(bytes: Uint8Array): number {
  const lossy = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const replacement = lossy.indexOf('\uFFFD');
  let line = 1;
  for (let index = 0; index < replacement; index += 1) if (lossy.charCodeAt(index) === 10) line += 1;
  return line;
}

function decodeUtf8(bytes: Uint8Array): string {
  return strictUtf8.decode(hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes);
}

/**
 * Decodes file bytes. UTF-8 is decoded strictly, so CP949 bytes forced through "utf-8" raise
 * EncodingError instead of storing garbled text. "auto" uses UTF-8 when the bytes are valid
 * UTF-8 (dropping a BOM) and CP949 otherwise. CP949 output with U+FFFD replacement characters
 * is rejected too, because it means the bytes were not CP949 either.
 */
export function decodeText(bytes: Uint8Array, choice: EncodingChoice): DecodedText {
  const bom = hasUtf8Bom(bytes);
  if (choice === 'utf-8' || (choice === 'auto' && bom)) {
    try {
      return { text: decodeUtf8(bytes), encoding: bom ? 'utf-8-bom' : 'utf-8' };
    } catch {
      throw new EncodingError(
        `invalid UTF-8 on line ${firstInvalidUtf8Line(bytes)}; ` +
          'Korean exports from data.kma.go.kr and older Seoul files are CP949, so use --encoding cp949 or auto',
      );
    }
  }
  if (choice === 'auto') {
    try {
      return { text: decodeUtf8(bytes), encoding: 'utf-8' };
    } catch {
      // Not UTF-8: CP949 is the only other encoding Korean public-data exports use.
    }
  }
  if (bom) throw new EncodingError('the file starts with a UTF-8 byte order mark, so it is not CP949; use --encoding utf-8 or auto');
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cp949');
  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0) {
    throw new EncodingError(
      `invalid CP949 near character ${replacement}; the file is neither UTF-8 nor CP949, so convert it to UTF-8 first`,
    );
  }
  return { text, encoding: 'cp949' };
}
