import { isUtf8 } from 'node:buffer';
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

/** Decodes a file in pieces; multi-byte characters split across pieces are carried over. */
export interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

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

/**
 * Picks the encoding of file bytes without decoding them. UTF-8 is validated strictly, so CP949
 * bytes forced through "utf-8" raise EncodingError instead of storing garbled text. "auto" uses
 * UTF-8 when the bytes are valid UTF-8 and CP949 otherwise. A BOM means UTF-8.
 */
export function detectEncoding(bytes: Uint8Array, choice: EncodingChoice): DetectedEncoding {
  const bom = hasUtf8Bom(bytes);
  if (choice === 'cp949') {
    if (bom) throw new EncodingError('the file starts with a UTF-8 byte order mark, so it is not CP949; use --encoding utf-8 or auto');
    return 'cp949';
  }
  if (isUtf8(bytes)) return bom ? 'utf-8-bom' : 'utf-8';
  if (choice === 'utf-8' || bom) {
    throw new EncodingError(
      `invalid UTF-8 on line ${firstInvalidUtf8Line(bytes)}; ` +
        'Korean exports from data.kma.go.kr and older Seoul files are CP949, so use --encoding cp949 or auto',
    );
  }
  // Not UTF-8: CP949 is the only other encoding Korean public-data exports use.
  return 'cp949';
}

/** Byte offset where the text starts: after the BOM for "utf-8-bom", else 0. */
export function textOffset(encoding: DetectedEncoding): number {
  return encoding === 'utf-8-bom' ? UTF8_BOM.length : 0;
}

/**
 * Creates a decoder for the detected encoding. The CP949 decoder rejects text containing U+FFFD,
 * which iconv-lite writes for byte sequences CP949 does not define, so bytes that are neither
 * UTF-8 nor CP949 fail instead of being stored as replacement characters.
 */
export function createChunkDecoder(encoding: DetectedEncoding): ChunkDecoder {
  if (encoding !== 'cp949') {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
  }
  const decoder = iconv.getDecoder('cp949');
  let decodedLines = 0;
  const check = (text: string) => {
    const replacement = text.indexOf('\uFFFD');
    if (replacement >= 0) {
      let line = decodedLines + 1;
      for (let index = 0; index < replacement; index += 1) if (text.charCodeAt(index) === 10) line += 1;
      throw new EncodingError(`invalid CP949 on line ${line}; the file is neither UTF-8 nor CP949, so convert it to UTF-8 first`);
    }
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) decodedLines += 1;
    return text;
  };
  return { write: (bytes) => check(decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))), end: () => check(decoder.end() ?? '') };
}

/** Decodes whole file bytes, detecting the encoding as `detectEncoding` does. */
export function decodeText(bytes: Uint8Array, choice: EncodingChoice): DecodedText {
  const encoding = detectEncoding(bytes, choice);
  const decoder = createChunkDecoder(encoding);
  const text = decoder.write(bytes.subarray(textOffset(encoding))) + decoder.end();
  return { text, encoding };
}
