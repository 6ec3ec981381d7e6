import { expect, it } from 'vitest';
import { ForbiddenError } from '../refusals';
import type { Role, SessionUser } from '../auth/auth.types';
import { describeEachDatabase } from '../testing/databases';
import { createTestUser } from '../testing/factories';
import { COMMAND_LINE_NAME } from '../audit/audit.service';
import { changeRole } from '../auth/users.service';
import { countPeopleByRole, getPerson, listAudit, listPeople } from './admin.service';

async function signedIn(
	db: Parameters<typeof createTestUser>[0],
	role: Role,
	name?: string
): Promise<SessionUser> {
	return createTestUser(db, { role, name });
}

describeEachDatabase('admin: people and roles', (ctx) => {
	it('lists people by name, a page at a time, with the total', async () => {
		// A fresh run of names that sort together, so other specs' people do not interleave.
		const prefix = `Zz${ctx.dialect}`;
		for (const n of [3, 1, 5, 2, 4]) {
			await createTestUser(ctx.db, { name: `${prefix} Person ${n}` });
		}
		const first = await listPeople(ctx.db, { search: prefix, perPage: 2, page: 1 });
		expect(first.total).toBe(5);
		expect(first.pageCount).toBe(3);
		expect(first.items.map((p) => p.name)).toEqual([`${prefix} Person 1`, `${prefix} Person 2`]);
		const last = await listPeople(ctx.db, { search: prefix, perPage: 2, page: 3 });
		expect(last.items.map((p) => p.name)).toEqual([`${prefix} Person 5`]);
		// A page past the end shows the last page rather than nothing.
		const beyond = await listPeople(ctx.db, { search: prefix, perPage: 2, page: 99 });
		expect(beyond.page).toBe(3);
		expect(beyond.items.map((p) => p.name)).toEqual([`${prefix} Person 5`]);
	});

	it('searches names and emails without caring about case, and filters by role', async () => {
		const ada = await createTestUser(ctx.db, {
			name: 'Ada Quillfeather',
			email: `ada.${ctx.dialect}@quill.example`,
			role: 'curator'
		});
		await createTestUser(ctx.db, { name: 'Bea Quillfeather', role: 'member' });

		const byName = await listPeople(ctx.db, { search: 'quillFEATHER' });
		expect(byName.items.map((p) => p.name).sort()).toEqual([
			'Ada Quillfeather',
			'Bea Quillfeather'
		]);
		const byEmail = await listPeople(ctx.db, { search: `ADA.${ctx.dialect}@QUILL` });
		expect(byEmail.items.map((p) => p.id)).toEqual([ada.id]);
		const curators = await listPeople(ctx.db, { search: 'quillfeather', role: 'curator' });
		expect(curators.items.map((p) => p.id)).toEqual([ada.id]);
		expect(curators.items[0]).toMatchObject({ role: 'curator', emailVerified: true });
	});

	it('treats % and _ in a search as ordinary characters', async () => {
		await createTestUser(ctx.db, { name: `Percy 100% ${ctx.dialect}` });
		await createTestUser(ctx.db, { name: `Percy 1000 ${ctx.dialect}` });
		const percent = await listPeople(ctx.db, { search: `100% ${ctx.dialect}` });
		expect(percent.items.map((p) => p.name)).toEqual([`Percy 100% ${ctx.dialect}`]);
		const underscore = await listPeople(ctx.db, { search: `Percy 10_0` });
		expect(underscore.total).toBe(0);
	});

	it('lets an administrator change a role and records who did it, when, from what to what', async () => {
		const admin = await signedIn(ctx.db, 'administrator', 'Alex Admin');
		const member = await createTestUser(ctx.db, { role: 'member' });
		const before = new Date().toISOString();

		const result = await changeRole(ctx.db, admin, member.id, 'curator');
		expect(result).toMatchObject({ ok: true, changed: true, previousRole: 'member' });

		const person = await getPerson(ctx.db, member.id);
		expect(person?.person.role).toBe('curator');
		expect(person?.history).toHaveLength(1);
		const entry = person!.history[0]!;
		expect(entry).toMatchObject({
			actorId: admin.id,
			actorName: 'Alex Admin',
			action: 'user.role_changed',
			targetType: 'user',
			targetId: member.id,
			targetName: member.name,
			detail: { from: 'member', to: 'curator' }
		});
		expect(entry.createdAt >= before).toBe(true);
		expect(entry.summary).toBe(`Changed the role of ${member.name} from member to curator`);
	});

	it('records nothing when the role is already the one chosen', async () => {
		const admin = await signedIn(ctx.db, 'administrator');
		const curator = await createTestUser(ctx.db, { role: 'curator' });
		const result = await changeRole(ctx.db, admin, curator.id, 'curator');
		expect(result).toMatchObject({ ok: true, changed: false });
		expect((await getPerson(ctx.db, curator.id))?.history).toEqual([]);
	});

	it('refuses members and curators, and changes nothing', async () => {
		const target = await createTestUser(ctx.db, { role: 'member' });
		for (const role of ['member', 'curator'] as const) {
			const actor = await signedIn(ctx.db, role);
			await expect(changeRole(ctx.db, actor, target.id, 'administrator')).rejects.toBeInstanceOf(
				ForbiddenError
			);
			// Not even themselves.
			await expect(changeRole(ctx.db, actor, actor.id, 'administrator')).rejects.toBeInstanceOf(
				ForbiddenError
			);
		}
		await expect(changeRole(ctx.db, null, target.id, 'administrator')).rejects.toBeInstanceOf(
			ForbiddenError
		);
		const after = await getPerson(ctx.db, target.id);
		expect(after?.person.role).toBe('member');
		expect(after?.history).toEqual([]);
	});

	it('refuses a role that does not exist and a person who does not exist', async () => {
		const admin = await signedIn(ctx.db, 'administrator');
		const member = await createTestUser(ctx.db);
		expect(await changeRole(ctx.db, admin, member.id, 'owner')).toEqual({
			ok: false,
			reason: 'invalid-role'
		});
		expect(await changeRole(ctx.db, admin, 'no-such-person', 'curator')).toEqual({
			ok: false,
			reason: 'not-found'
		});
	});

	it('records the command line as the actor when it changes a role', async () => {
		const member = await createTestUser(ctx.db);
		expect(await changeRole(ctx.db, { system: true }, member.id, 'curator')).toMatchObject({
			ok: true,
			changed: true
		});
		const history = (await getPerson(ctx.db, member.id))?.history;
		expect(history?.[0]).toMatchObject({ actorId: null, actorName: COMMAND_LINE_NAME });
	});
});

// The "last administrator" rule needs to know every administrator, so it runs in a database
// of its own.
describeEachDatabase('admin: the last administrator', (ctx) => {
	it('cannot be demoted, by themselves or anyone; with two, one may go', async () => {
		const first = await signedIn(ctx.db, 'administrator', 'First Admin');
		expect(await changeRole(ctx.db, first, first.id, 'member')).toEqual({
			ok: false,
			reason: 'last-administrator'
		});
		expect(await changeRole(ctx.db, { system: true }, first.id, 'curator')).toEqual({
			ok: false,
			reason: 'last-administrator'
		});

		const second = await createTestUser(ctx.db, { role: 'member', name: 'Second Admin' });
		expect(await changeRole(ctx.db, first, second.id, 'administrator')).toMatchObject({ ok: true });
		// Now the first may step down…
		expect(await changeRole(ctx.db, first, first.id, 'member')).toMatchObject({
			ok: true,
			changed: true
		});
		// …and the second is the last again.
		const secondAdmin: SessionUser = { ...second, role: 'administrator' };
		expect(await changeRole(ctx.db, secondAdmin, second.id, 'curator')).toEqual({
			ok: false,
			reason: 'last-administrator'
		});
	});
});

describeEachDatabase('admin: two administrators demoting each other', (ctx) => {
	it('counts people by role, listing roles nobody holds as 0', async () => {
		expect(await countPeopleByRole(ctx.db)).toEqual({ member: 0, curator: 0, administrator: 0 });
		await signedIn(ctx.db, 'curator');
		await signedIn(ctx.db, 'curator');
		expect(await countPeopleByRole(ctx.db)).toEqual({ member: 0, curator: 2, administrator: 0 });
		await ctx.db.deleteFrom('app_user').execute();
	});

	it('lets only one of them succeed', async () => {
		const a = await signedIn(ctx.db, 'administrator');
		const b = await signedIn(ctx.db, 'administrator');
		const results = await Promise.all([
			changeRole(ctx.db, a, b.id, 'member'),
			changeRole(ctx.db, b, a.id, 'member')
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'last-administrator' }]);
		expect((await listPeople(ctx.db, { role: 'administrator' })).total).toBe(1);
	});
});

describeEachDatabase('admin: the audit log', (ctx) => {
	it('lists entries newest first, a page at a time, naming the actor and the person', async () => {
		const admin = await signedIn(ctx.db, 'administrator', 'Audit Admin');
		const people = [];
		for (let i = 0; i < 3; i++) people.push(await createTestUser(ctx.db, { name: `Target ${i}` }));
		for (const person of people) {
			await changeRole(ctx.db, admin, person.id, 'curator');
			// Distinct timestamps, so the order is certain.
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		const first = await listAudit(ctx.db, { perPage: 2 });
		expect(first.total).toBe(3);
		expect(first.pageCount).toBe(2);
		expect(first.items.map((e) => e.targetName)).toEqual(['Target 2', 'Target 1']);
		expect(first.items[0]).toMatchObject({ actorName: 'Audit Admin', action: 'user.role_changed' });
		const second = await listAudit(ctx.db, { perPage: 2, page: 2 });
		expect(second.items.map((e) => e.targetName)).toEqual(['Target 0']);
	});
});
