/**
 * File bytes ↔ text without loss. Valid UTF-8 (the common case) is decoded as such; a byte that is not part of
 * valid UTF-8 (a Latin-1 `é` in a comment) becomes the lone surrogate U+DC80+byte ("surrogateescape", as Python
 * does) and is written back as that same byte. Text we never edit therefore leaves exactly as it came, where a
 * plain UTF-8 decode would have turned the byte into U+FFFD for good. A byte order mark stays in the text.
 */

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
/** A low surrogate standing for one raw byte 0x80–0xFF, not the second half of a surrogate pair. */
const ESCAPED_BYTE = /(?<![\ud800-\udbff])[\udc80-\udcff]/

export function decodeText(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes)
  } catch {
    return decodeEscaping(bytes)
  }
}

/** Whether `text` came from bytes that were not all valid UTF-8 (it holds escaped raw bytes). */
export function hasRawBytes(text: string): boolean {
  return ESCAPED_BYTE.test(text)
}

/** The 1-based line:column of the first byte that is not valid UTF-8, or undefined when there is none. */
export function firstRawByte(text: string): { line: number; column: number } | undefined {
  const at = ESCAPED_BYTE.exec(text)?.index
  if (at === undefined) return undefined
  const before = text.slice(0, at)
  const line = before.split('\n').length
  return { line, column: at - (before.lastIndexOf('\n') + 1) + 1 }
}

export function encodeText(text: string): Buffer {
  if (!hasRawBytes(text)) return Buffer.from(text, 'utf8')
  const parts: Buffer[] = []
  let from = 0
  const all = new RegExp(ESCAPED_BYTE.source, 'g')
  for (let m = all.exec(text); m; m = all.exec(text)) {
    parts.push(Buffer.from(text.slice(from, m.index), 'utf8'), Buffer.from([m[0].charCodeAt(0) - 0xdc00]))
    from = m.index + 1
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'))
  return Buffer.concat(parts)
}

/** Byte length of the encoded text (what a size limit should count). */
export function encodedLength(text: string): number {
  return hasRawBytes(text) ? encodeText(text).length : Buffer.byteLength(text, 'utf8')
}

function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]
  const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
  if (need === 0 || i + need > bytes.length) return 0
  for (let k = 1; k < need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0
  // Overlongs, surrogates and code points above U+10FFFF are not valid UTF-8 either.
  if (b === 0xe0 && bytes[i + 1] < 0xa0) return 0
  if (b === 0xed && bytes[i + 1] >= 0xa0) return 0
  if (b === 0xf0 && bytes[i + 1] < 0x90) return 0
  if (b === 0xf4 && bytes[i + 1] >= 0x90) return 0
  return need
}

function decodeEscaping(bytes: Uint8Array): string {
  let out = ''
  let run = 0
  let i = 0
  const flush = (end: number) => {
    if (end > run) out += strict.decode(bytes.subarray(run, end))
  }
  while (i < bytes.length) {
    if (bytes[i] < 0x80) {
      i++
      continue
    }
    const n = sequenceLength(bytes, i)
    if (n > 0) {
      i += n
      continue
    }
    flush(i)
    out += String.fromCharCode(0xdc00 + bytes[i])
    i++
    run = i
  }
  flush(bytes.length)
  return out
}
