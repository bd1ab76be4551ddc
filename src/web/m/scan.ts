import BinaryBitmap from '@zxing/library/esm/core/BinaryBitmap';
import GlobalHistogramBinarizer from '@zxing/library/esm/core/common/GlobalHistogramBinarizer';
import HybridBinarizer from '@zxing/library/esm/core/common/HybridBinarizer';
import DecodeHintType from '@zxing/library/esm/core/DecodeHintType';
import QRCodeReader from '@zxing/library/esm/core/qrcode/QRCodeReader';
import RGBLuminanceSource from '@zxing/library/esm/core/RGBLuminanceSource';

/**
 * QR decoding for a building's code, in its own chunk, loaded only when a grid worker scans. Only
 * ZXing's QR reader is imported (its index pulls every format: 125 KB gz instead of about 20). The
 * camera path streams the rear camera into a <video> and decodes a frame every 200 ms; the photo path
 * decodes a picture of the code (no camera permission, or no camera at all).
 */
const tryHarder = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);

function decodeCanvas(canvas: HTMLCanvasElement, harder = false): string | null {
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, width, height).data;
  const lum = new Uint8ClampedArray(width * height);
  for (let i = 0, j = 0; i < lum.length; i++, j += 4)
    lum[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8;
  const source = new RGBLuminanceSource(lum, width, height, width, height, 0, 0);
  // A photo's uneven light suits the local (hybrid) threshold; a flat print the global one.
  for (const binarizer of harder ? [HybridBinarizer, GlobalHistogramBinarizer] : [HybridBinarizer]) {
    try {
      return new QRCodeReader()
        .decode(new BinaryBitmap(new binarizer(source)), harder ? tryHarder : undefined)
        .getText();
    } catch {
      // no code found this way
    }
  }
  return null;
}

function draw(source: CanvasImageSource, w: number, h: number, maxEdge: number) {
  const scale = Math.min(1, maxEdge / Math.max(w, h));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  canvas.getContext('2d', { willReadFrequently: true })!.drawImage(source, 0, 0, canvas.width, canvas.height);
  return { canvas, scaled: scale < 1 };
}

/** Starts the rear camera in `video`; calls onText once with the first code seen. Returns stop(). */
export async function scanFromCamera(video: HTMLVideoElement, onText: (text: string) => void) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: 'environment' },
    audio: false,
  });
  video.srcObject = stream;
  await video.play();
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  };
  const tick = () => {
    if (stopped) return;
    if (video.videoWidth) {
      const text = decodeCanvas(draw(video, video.videoWidth, video.videoHeight, 800).canvas);
      if (text) {
        stop();
        onText(text);
        return;
      }
    }
    setTimeout(tick, 200);
  };
  tick();
  return stop;
}

/** Decodes a photo of a QR code; phone photos are large, so it is tried scaled down first. */
export async function scanFromImage(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    // A photo is decoded once, so it may try harder than a camera frame: several sizes, both thresholds.
    for (const edge of [1000, 2000, 600]) {
      const { canvas } = draw(bitmap, bitmap.width, bitmap.height, edge);
      const text = decodeCanvas(canvas, true);
      if (text) return text;
    }
    return null;
  } finally {
    bitmap.close();
  }
}
