// Photos are made smaller on the phone before they wait: a camera's 4,000-pixel picture becomes
// a JPEG of at most 1,600 pixels on its long edge, a few hundred kilobytes, which a weak
// connection can carry and the phone's storage can hold.
export const MAX_EDGE = 1600;
export const QUALITY = 0.8;

export async function shrink(file, maxEdge = MAX_EDGE, quality = QUALITY) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, maxEdge / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  if (bitmap.close) bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  if (!blob) throw new Error("the photo could not be read");
  return { blob, width, height };
}
