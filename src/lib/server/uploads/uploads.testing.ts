import sharp from 'sharp';
import type { ImageStore } from './image-store';
import type { PictureField } from './uploads';

/** A JPEG as a phone saves it, with the camera and the place it was taken in its EXIF. */
export async function photoWithLocation(width = 900, height = 600): Promise<File> {
	const bytes = await sharp({ create: { width, height, channels: 3, background: '#48a' } })
		.jpeg()
		.withExif({
			IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' },
			IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' }
		})
		.toBuffer();
	return new File([new Uint8Array(bytes)], 'photo.jpg', { type: 'image/jpeg' });
}

/** A file field as a route hands it to a use case. */
export function testPictureField(
	store: ImageStore,
	entry: FormDataEntryValue | null
): PictureField {
	return { store, entry, limit: 5 * 1024 * 1024 };
}
