/**
 * Shrinks a phone photo to at most `maxBytes` JPEG before it is stored or sent: 4 000-pixel camera
 * pictures (3–6 MB) become ~1 600 pixels and well under 300 KB, enough to see a broken manhole
 * cover. createImageBitmap with imageOrientation 'from-image' applies the EXIF rotation, and the
 * re-encoded JPEG carries no EXIF at all (no GPS position of the resident's home leaks).
 */
export async function compressPhoto(file: Blob, maxBytes = 300 * 1024): Promise<Blob> {
  const bitmap = await decode(file);
  try {
    let edge = 1600;
    let quality = 0.82;
    for (let attempt = 0; attempt < 8; attempt++) {
      const blob = await encode(bitmap, edge, quality);
      if (blob.size <= maxBytes) return blob;
      // Lower the quality first, then the size.
      if (quality > 0.55) quality -= 0.12;
      else edge = Math.round(edge * 0.75);
    }
    return encode(bitmap, 640, 0.5);
  } finally {
    if ('close' in bitmap) bitmap.close();
  }
}

async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if (typeof createImageBitmap === 'function') {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {}
  }
  // Older WebViews: an <img> (which also honours EXIF orientation in current engines).
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function encode(image: ImageBitmap | HTMLImageElement, maxEdge: number, quality: number): Promise<Blob> {
  const w = 'naturalWidth' in image ? image.naturalWidth : image.width;
  const h = 'naturalHeight' in image ? image.naturalHeight : image.height;
  const scale = Math.min(1, maxEdge / Math.max(w, h));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(h * scale));
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode failed'))), 'image/jpeg', quality),
  );
}
