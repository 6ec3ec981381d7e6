import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/auth.permissions';
import { ForbiddenError } from '../refusals';
import type { FormValues } from '../forms';
import { describeEachDatabase } from '../testing/databases';
import { createEvent, listFormats } from './events.service';
import { eventValues, testMember, TEST_SITE } from './events.testing';
import { addFormat, updateFormat } from './formats.service';

const NOW = '2030-01-15T10:00:00.000Z';

let names = 0;
/** A format name no other spec in the same database uses. */
function uniqueName(label: string): string {
	names++;
	return `${label} ${names}`;
}

function formatValues(overrides: FormValues = {}): FormValues {
	return {
		name: uniqueName('Walk and talk'),
		description: 'A gentle walk in pairs, talking about practice as you go.',
		tools: 'none',
		...overrides
	};
}

describeEachDatabase('event formats', (ctx) => {
	async function formatRows() {
		return ctx.db.selectFrom('event_format').selectAll().orderBy('position').execute();
	}

	async function lastPosition(): Promise<number> {
		return Math.max(...(await formatRows()).map((f) => f.position));
	}

	describe('addFormat', () => {
		it('lets a curator add a format, named by a slug of its name, after the others', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const last = await lastPosition();
			const name = uniqueName('Walk & Talk: outdoors');
			const id = `walk-and-talk-outdoors-${names}`;
			const result = await addFormat(
				ctx.db,
				curator,
				{
					name: `  ${name}  `,
					description: 'A walk in pairs, talking as you go.',
					tools: 'none'
				},
				NOW
			);
			expect(result).toEqual({
				ok: true,
				format: {
					id,
					name,
					description: 'A walk in pairs, talking as you go.',
					tools: 'none',
					// Grey with a calendar until a curator chooses.
					colour: 'slate',
					icon: 'calendar',
					position: last + 1,
					created_by: curator.id,
					created_at: NOW
				}
			});
			const formats = await listFormats(ctx.db);
			expect(formats.at(-1)).toMatchObject({
				id,
				name,
				position: last + 1,
				created_by: curator.id
			});

			const next = await addFormat(ctx.db, curator, formatValues({ tools: 'cafe' }), NOW);
			expect(next.ok && next.format.position).toBe(last + 2);
			expect(next.ok && next.format.tools).toBe('cafe');
			expect((await listFormats(ctx.db)).map((f) => f.position).slice(-2)).toEqual([
				last + 1,
				last + 2
			]);
		});

		it('lets hosts create events in a new format', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const added = await addFormat(
				ctx.db,
				curator,
				formatValues({ name: uniqueName('Lightning round'), tools: 'lightning' })
			);
			if (!added.ok) throw new Error(JSON.stringify(added.errors));
			const member = await testMember(ctx.db);
			const created = await createEvent(
				ctx.db,
				TEST_SITE,
				member,
				eventValues({ format: added.format.id })
			);
			if (!created.ok) throw new Error(JSON.stringify(created));
			expect(created.event.format_id).toBe(added.format.id);
		});

		it('lets administrators (and the command line) add formats too', async () => {
			const admin = await testMember(ctx.db, 'administrator');
			const byAdmin = await addFormat(ctx.db, admin, formatValues());
			expect(byAdmin.ok && byAdmin.format.created_by).toBe(admin.id);
			const bySystem = await addFormat(ctx.db, SYSTEM_ACTOR, formatValues());
			expect(bySystem.ok && bySystem.format.created_by).toBeNull();
		});

		it('refuses members and visitors, adding nothing', async () => {
			const before = (await formatRows()).length;
			const member = await testMember(ctx.db);
			await expect(addFormat(ctx.db, member, formatValues())).rejects.toBeInstanceOf(
				ForbiddenError
			);
			await expect(addFormat(ctx.db, null, formatValues())).rejects.toBeInstanceOf(ForbiddenError);
			await expect(addFormat(ctx.db, undefined, formatValues())).rejects.toThrow(
				'Only curators can add or change formats.'
			);
			// Even invalid values are refused for who is asking, before they are checked.
			await expect(addFormat(ctx.db, member, { name: '' })).rejects.toBeInstanceOf(ForbiddenError);
			expect(await formatRows()).toHaveLength(before);
		});

		it('explains what needs fixing, adding nothing', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const before = (await formatRows()).length;
			const cases: Array<[FormValues, Record<string, string>]> = [
				[formatValues({ name: '' }), { name: 'Enter a name for the format' }],
				[formatValues({ name: '   ' }), { name: 'Enter a name for the format' }],
				[formatValues({ name: 'x'.repeat(61) }), { name: 'Name must be 60 characters or fewer' }],
				[
					formatValues({ description: '' }),
					{ description: 'Say what happens at this kind of event' }
				],
				[
					formatValues({ description: 'x'.repeat(501) }),
					{ description: 'Description must be 500 characters or fewer' }
				],
				[formatValues({ tools: 'karaoke' }), { tools: 'Choose which tools it uses' }],
				[
					{},
					{
						name: 'Enter a name for the format',
						description: 'Say what happens at this kind of event',
						tools: 'Choose which tools it uses'
					}
				]
			];
			for (const [values, errors] of cases) {
				expect(await addFormat(ctx.db, curator, values)).toEqual({
					ok: false,
					reason: 'invalid',
					errors
				});
			}
			expect(await formatRows()).toHaveLength(before);
		});

		it('takes names and descriptions up to the limits, and each kind of tools', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const name = `${uniqueName('Long')} ${'n'.repeat(60)}`.slice(0, 60);
			const result = await addFormat(
				ctx.db,
				curator,
				formatValues({ name, description: 'd'.repeat(500) })
			);
			if (!result.ok) throw new Error(JSON.stringify(result.errors));
			expect(result.format.name).toBe(name);
			expect(result.format.id.length).toBeLessThanOrEqual(60);
			for (const tools of ['none', 'cafe', 'lightning']) {
				const added = await addFormat(ctx.db, curator, formatValues({ tools }));
				expect(added.ok && added.format.tools).toBe(tools);
			}
		});

		it('refuses a name already taken, built-in or added', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const name = uniqueName('Book club');
			expect((await addFormat(ctx.db, curator, formatValues({ name }))).ok).toBe(true);
			const before = (await formatRows()).length;
			for (const taken of [name, 'Exchange session']) {
				expect(await addFormat(ctx.db, curator, formatValues({ name: taken }))).toEqual({
					ok: false,
					reason: 'invalid',
					errors: { name: 'There is already a format with that name' }
				});
			}
			expect(await formatRows()).toHaveLength(before);
		});

		// The same name in other letters is refused; a different name whose address is taken
		// ("Exchange" and the built-in "Exchange session", id "exchange") gets the next free one.
		it('refuses the same name in other capitals, and gives a new name a free address', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const name = uniqueName('Peer review');
			expect((await addFormat(ctx.db, curator, formatValues({ name }))).ok).toBe(true);
			const before = (await formatRows()).length;
			const result = await addFormat(
				ctx.db,
				curator,
				formatValues({ name: name.replace('review', 'Review') })
			);
			expect(result).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { name: 'There is already a format with that name' }
			});
			expect(await formatRows()).toHaveLength(before);
			const exchange = await addFormat(ctx.db, curator, formatValues({ name: 'Exchange' }));
			expect(exchange.ok && exchange.format.id).toMatch(/^exchange-\d+$/);
		});
	});

	describe("a format's colour and icon", () => {
		it('gives the built-in formats their own, each different', async () => {
			const looks = Object.fromEntries(
				(await listFormats(ctx.db)).map((f) => [f.id, `${f.colour} ${f.icon}`])
			);
			expect(looks).toMatchObject({
				exchange: 'blue chat',
				'knowledge-cafe': 'brown cup',
				'lightning-talks': 'orange bolt',
				enquiry: 'teal search',
				'meet-up': 'green people',
				'something-else': 'purple star'
			});
		});

		it('lets a curator choose them when adding a format, and change them later', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const added = await addFormat(
				ctx.db,
				curator,
				formatValues({ colour: 'teal', icon: 'leaf' })
			);
			if (!added.ok) throw new Error(JSON.stringify(added.errors));
			expect(added.format).toMatchObject({ colour: 'teal', icon: 'leaf' });
			const { name, description, tools } = added.format;
			expect(
				await updateFormat(ctx.db, curator, added.format.id, {
					name,
					description,
					tools,
					colour: 'pink',
					icon: 'heart'
				})
			).toEqual({ ok: true });
			expect((await formatRows()).find((f) => f.id === added.format.id)).toMatchObject({
				colour: 'pink',
				icon: 'heart'
			});
			// A form without them (rewording only) keeps the look as it is.
			expect(
				await updateFormat(ctx.db, curator, added.format.id, { name, description, tools })
			).toEqual({ ok: true });
			expect((await formatRows()).find((f) => f.id === added.format.id)).toMatchObject({
				colour: 'pink',
				icon: 'heart'
			});
		});

		it('takes only colours and icons from the fixed lists', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const added = await addFormat(ctx.db, curator, formatValues());
			if (!added.ok) throw new Error(JSON.stringify(added.errors));
			const before = (await formatRows()).length;
			const bad = formatValues({ colour: '#ff0000', icon: '<script>' });
			const errors = {
				colour: 'Choose a colour from the list',
				icon: 'Choose an icon from the list'
			};
			expect(await addFormat(ctx.db, curator, bad)).toEqual({
				ok: false,
				reason: 'invalid',
				errors
			});
			expect(await updateFormat(ctx.db, curator, added.format.id, bad)).toEqual({
				ok: false,
				reason: 'invalid',
				errors
			});
			expect(await formatRows()).toHaveLength(before);
			expect((await formatRows()).find((f) => f.id === added.format.id)).toMatchObject({
				colour: 'slate',
				icon: 'calendar'
			});
		});

		it('refuses a member or a visitor who tries to change them', async () => {
			const member = await testMember(ctx.db);
			const exchange = (await listFormats(ctx.db)).find((f) => f.id === 'exchange')!;
			const values = {
				name: exchange.name,
				description: exchange.description,
				tools: exchange.tools,
				colour: 'red',
				icon: 'flag'
			};
			for (const actor of [member, null]) {
				await expect(updateFormat(ctx.db, actor, 'exchange', values)).rejects.toThrow(
					'Only curators can add or change formats.'
				);
			}
			expect((await listFormats(ctx.db)).find((f) => f.id === 'exchange')).toMatchObject({
				colour: 'blue',
				icon: 'chat'
			});
		});
	});

	describe('updateFormat', () => {
		it('rewords a format, keeping its address and place in the list', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const added = await addFormat(ctx.db, curator, formatValues(), NOW);
			if (!added.ok) throw new Error(JSON.stringify(added.errors));
			const renamed = uniqueName('Walk, talk and tea');
			expect(
				await updateFormat(ctx.db, curator, added.format.id, {
					name: renamed,
					description: 'A walk, then tea.',
					tools: 'cafe'
				})
			).toEqual({ ok: true });
			const stored = (await listFormats(ctx.db)).find((f) => f.id === added.format.id);
			expect(stored).toEqual({
				...added.format,
				name: renamed,
				description: 'A walk, then tea.',
				tools: 'cafe'
			});
			// Events keep working with the reworded format.
			const created = await createEvent(
				ctx.db,
				TEST_SITE,
				curator,
				eventValues({ format: added.format.id })
			);
			expect(created.ok && created.event.format_id).toBe(added.format.id);
		});

		it('lets a built-in format be reworded', async () => {
			const admin = await testMember(ctx.db, 'administrator');
			const exchange = (await listFormats(ctx.db)).find((f) => f.id === 'exchange')!;
			const values = {
				name: exchange.name,
				description: 'Reworded by a spec.',
				tools: exchange.tools
			};
			expect(await updateFormat(ctx.db, admin, 'exchange', values)).toEqual({ ok: true });
			expect((await listFormats(ctx.db)).find((f) => f.id === 'exchange')).toEqual({
				...exchange,
				description: 'Reworded by a spec.'
			});
			// Put it back for the other specs.
			await updateFormat(ctx.db, admin, 'exchange', {
				name: exchange.name,
				description: exchange.description,
				tools: exchange.tools
			});
		});

		it('answers not_found for a format that does not exist', async () => {
			const curator = await testMember(ctx.db, 'curator');
			expect(await updateFormat(ctx.db, curator, 'no-such-format', formatValues())).toEqual({
				ok: false,
				reason: 'not_found'
			});
		});

		it('refuses members and visitors, changing nothing', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const added = await addFormat(ctx.db, curator, formatValues());
			if (!added.ok) throw new Error(JSON.stringify(added.errors));
			const member = await testMember(ctx.db);
			const values = formatValues({ name: uniqueName('Hijacked') });
			await expect(updateFormat(ctx.db, member, added.format.id, values)).rejects.toBeInstanceOf(
				ForbiddenError
			);
			await expect(updateFormat(ctx.db, null, added.format.id, values)).rejects.toBeInstanceOf(
				ForbiddenError
			);
			const stored = (await formatRows()).find((f) => f.id === added.format.id);
			expect(stored).toEqual(added.format);
		});

		it('checks the new wording, and refuses a name another format has', async () => {
			const curator = await testMember(ctx.db, 'curator');
			const added = await addFormat(ctx.db, curator, formatValues());
			if (!added.ok) throw new Error(JSON.stringify(added.errors));
			expect(
				await updateFormat(ctx.db, curator, added.format.id, formatValues({ name: '' }))
			).toEqual({ ok: false, reason: 'invalid', errors: { name: 'Enter a name for the format' } });
			expect(
				await updateFormat(ctx.db, curator, added.format.id, formatValues({ tools: 'all' }))
			).toEqual({ ok: false, reason: 'invalid', errors: { tools: 'Choose which tools it uses' } });
			expect(
				await updateFormat(
					ctx.db,
					curator,
					added.format.id,
					formatValues({ name: 'Exchange session' })
				)
			).toEqual({
				ok: false,
				reason: 'invalid',
				errors: { name: 'There is already a format with that name' }
			});
			// Keeping its own name is fine.
			expect(
				await updateFormat(
					ctx.db,
					curator,
					added.format.id,
					formatValues({ name: added.format.name, description: 'Same name, new words.' })
				)
			).toEqual({ ok: true });
			const stored = (await formatRows()).find((f) => f.id === added.format.id);
			expect(stored).toMatchObject({
				name: added.format.name,
				description: 'Same name, new words.'
			});
		});
	});
});
