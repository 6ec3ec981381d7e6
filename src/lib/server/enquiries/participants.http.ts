import { formSizeLimit, describeBytes } from '../http/body-guard';
import { valueOf, type FieldErrors, type FormValues } from '../forms';
import { INTERVIEW_FILE_MAX_BYTES, readInterviewText } from './participants.upload';
import type { InterviewBody } from './participants.service';

/** Room in a request for the form's text beside the file. */
const ROOM_FOR_TEXT = 256 * 1024;

/** The largest interview file a request can carry here. */
export function interviewFileLimit(): number {
	return Math.max(0, Math.min(INTERVIEW_FILE_MAX_BYTES, formSizeLimit() - ROOM_FOR_TEXT));
}

export function interviewFileHint(): string {
	return `Plain text (.txt), Markdown (.md), Word (.docx) or WebVTT captions (.vtt), up to ${describeBytes(interviewFileLimit())}. A file replaces anything typed above.`;
}

/** The words of an interview from a posted form: typed, or from its file. */
export async function readInterviewForm(
	form: FormData,
	values: FormValues
): Promise<{ ok: true; body: InterviewBody | null } | { ok: false; errors: FieldErrors }> {
	const entry = form.get('file');
	const file = entry instanceof File && !(entry.size === 0 && entry.name === '') ? entry : null;
	if (file && file.size > interviewFileLimit())
		return {
			ok: false,
			errors: {
				file: `This file is ${describeBytes(file.size)}; the most we take is ${describeBytes(interviewFileLimit())}. Choose a smaller file.`
			}
		};
	const read = await readInterviewText(valueOf(values, 'body'), file);
	if (!read.ok) return { ok: false, errors: { [file ? 'file' : 'body']: read.message } };
	if (read.text === null) return { ok: true, body: null };
	return { ok: true, body: { text: read.text, format: read.format, name: read.name } };
}
