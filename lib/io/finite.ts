/**
 * Where an image stack holds its first non-finite value (NaN or infinity),
 * as image, row and column, so that messages point at the pixel.
 *
 * @module
 */

/** A non-finite value's place in an `[N, rows, cols(, channels)]` stack. */
export interface NonFinitePixel {
  /** Image index (0-based). */
  image: number;
  /** Row (0-based, y). */
  row: number;
  /** Column (0-based, x). */
  column: number;
  /** Channel (0-based), for a channel-last stack; 0 otherwise. */
  channel: number;
  /** The value (NaN, Infinity or -Infinity). */
  value: number;
  /** How many values of the stack are not finite. */
  count: number;
}

/**
 * The first non-finite value of a C-ordered stack of `rows` x `cols` images
 * with `channels` values per pixel (channel last), or null when all are finite.
 */
export function findNonFinite(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  channels = 1,
): NonFinitePixel | null {
  let first = -1;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first < 0) return null;
  const perImage = rows * cols * channels;
  const image = Math.floor(first / perImage);
  const inImage = first % perImage;
  const pixel = Math.floor(inImage / channels);
  return {
    image,
    row: Math.floor(pixel / cols),
    column: pixel % cols,
    channel: inImage % channels,
    value: data[first],
    count,
  };
}

/** "image 3, row 17, column 42 (NaN; 5 values in all)". */
export function describeNonFinite(p: NonFinitePixel, channelNames?: readonly string[]): string {
  const ch = channelNames && channelNames.length > 1
    ? `, channel ${p.channel} (${channelNames[p.channel]})`
    : "";
  return `image ${p.image}, row ${p.row}, column ${p.column}${ch} (${p.value}` +
    (p.count > 1 ? `; ${p.count} non-finite values in all` : "") + ")";
}
