import { z } from 'zod';
import type { Actions } from './$types';
import { invalid, parseForm } from '$lib/server/forms';

// The component gallery's example form: always shows every kind of error, so the journeys can
// check the error summary, field messages and kept values without JavaScript.
const schema = z.object({
	name: z.string().trim().min(1, 'Enter your name'),
	about: z.string().trim().min(1, 'Tell us a little about yourself'),
	time: z.enum(['breakfast', 'lunch', 'evening'], { error: 'Choose a time of day' }),
	needs: z.array(z.string()).min(1, 'Choose at least one thing'),
	role: z.enum(['member', 'curator'], { error: 'Choose a role' }),
	agree: z.literal('on', { error: 'Tick the box to agree' })
});

export const actions: Actions = {
	default: async ({ request }) => {
		const result = parseForm(schema, await request.formData(), { listFields: ['needs'] });
		if (!result.ok) return invalid(result.values, result.errors);
		return { saved: true, values: result.values };
	}
};
