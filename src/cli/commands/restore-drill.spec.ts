import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, stopApp } from '../../lib/server/app';
import {
	answerValues,
	AFTER,
	submitAsVisitor,
	testAssessment
} from '../../lib/server/assessments/assessments.testing';
import { roundResultsByNumber } from '../../lib/server/assessments/results.service';
import { createAuth, resolveAuthSecret, startAuth, stopAuth } from '../../lib/server/auth/auth';
import { readSession, signIn, type AccountsContext } from '../../lib/server/auth/auth.service';
import { confirmedMember, visitor } from '../../lib/server/auth/auth.testing';
import type { SessionUser } from '../../lib/server/auth/auth.types';
import { readConfig } from '../../lib/server/config';
import { openDatabase, type Database, type DialectName } from '../../lib/server/db/database';
import { migrateToLatest } from '../../lib/server/db/migrate';
import { listEvents, parseEventFilters, viewEvent } from '../../lib/server/events/events.queries';
import { registerMember } from '../../lib/server/events/registrations.service';
import { publishedEvent, TEST_SITE } from '../../lib/server/events/events.testing';
import {
	createOrganisation,
	listOrganisations,
	viewOrganisation
} from '../../lib/server/organisations/organisations.service';
import { getPublicProfile, updateProfile } from '../../lib/server/profiles/profiles.service';
import { createTestDatabase, DIALECTS } from '../../lib/server/testing/databases';
import { createTestUser } from '../../lib/server/testing/factories';
import {
	adminQuery,
	TEST_DATABASE_URL,
	throwawayName,
	withDatabaseName
} from '../../lib/server/testing/postgres';
import { runCliForSpec } from '../cli.testing';

// The restore drill an operator should run: back up a CoLab with people, organisations, events
// and answered checks; restore the backup into a fresh folder or database; start CoLab on it
// the way `npm start` does; and find everything again through the same services the pages use.

const PASSWORD = 'a long and memorable passphrase';
const BASE_ENV = { SITE_NAME: 'CoLab Drill', ORIGIN: 'http://colab.drill.test' };

/** A place to restore into: an empty folder (SQLite) or an empty database (PostgreSQL). */
interface Target {
	env: NodeJS.ProcessEnv;
	drop(): Promise<void>;
}

async function freshTarget(dialect: DialectName, scratch: string): Promise<Target> {
	if (dialect === 'sqlite') {
		const dataDir = fs.mkdtempSync(path.join(scratch, 'restored-'));
		return { env: { ...BASE_ENV, DATA_DIR: dataDir }, drop: async () => {} };
	}
	const name = throwawayName('colab_restore');
	await adminQuery(`create database ${name}`);
	return {
		env: {
			...BASE_ENV,
			DATA_DIR: fs.mkdtempSync(path.join(scratch, 'restored-')),
			DATABASE_URL: withDatabaseName(TEST_DATABASE_URL, name)
		},
		drop: () => adminQuery(`drop database if exists ${name} with (force)`)
	};
}

for (const dialect of DIALECTS) {
	const skip = dialect === 'postgres' && !inject('postgresTemplate');
	describe.skipIf(skip)(`restore drill [${dialect}]`, () => {
		let scratch: string;
		let source: Database;
		let sourceEnv: NodeJS.ProcessEnv;
		const targets: Target[] = [];
		let sam: { user: SessionUser; headers: Headers };
		let alex: SessionUser;
		let orgSlug: string;
		let eventId: string;
		let assessmentId: string;
		let owner: SessionUser;

		beforeAll(async () => {
			scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-drill-'));
			const dataDir = path.join(scratch, 'live');
			if (dialect === 'sqlite') {
				source = openDatabase({ sqlitePath: path.join(dataDir, 'colab.sqlite') });
				await migrateToLatest(source.db);
				sourceEnv = { ...BASE_ENV, DATA_DIR: dataDir };
			} else {
				source = await createTestDatabase('postgres');
				sourceEnv = { ...BASE_ENV, DATA_DIR: dataDir, DATABASE_URL: source.connectionString };
			}
			const db = source.db;

			// Accounts signed with the instance's own secret (kept in the database), as the app does.
			const config = readConfig(sourceEnv);
			const secret = await resolveAuthSecret(db, config);
			const accounts: AccountsContext = {
				auth: createAuth({ config, database: source, secret }),
				db,
				site: { siteName: config.siteName, origin: config.origin }
			};
			const samSignedIn = await confirmedMember(accounts, 'sam@example.test', PASSWORD, 'Sam');
			sam = { user: samSignedIn.user, headers: samSignedIn.client.headers };
			alex = (await confirmedMember(accounts, 'alex@example.test', PASSWORD, 'Alex')).user;
			for (const [person, pronouns, bio] of [
				[sam.user, 'she/her', 'Carer for my dad; I run the Tuesday group.'],
				[alex, 'they/them', 'Peer support worker.']
			] as const) {
				const saved = await updateProfile(db, person, {
					name: person.name,
					pronouns,
					bio,
					show: ['bio', 'pronouns', 'organisations']
				});
				expect(saved.ok).toBe(true);
			}
			const organisation = await createOrganisation(db, alex, {
				name: 'Riverside Carers',
				description: 'Carers supporting carers.',
				website: 'https://riverside.example.org'
			});
			if (!organisation.ok) throw new Error('organisation not created');
			orgSlug = organisation.organisation.slug;

			const host = await createTestUser(db, { role: 'curator', name: 'Curator Kim' });
			eventId = (await publishedEvent(db, { title: 'Carers’ exchange' }, host)).event.id;
			for (const person of [sam.user, alex]) {
				const registered = await registerMember(db, TEST_SITE, person, eventId, {});
				expect(registered.ok).toBe(true);
			}

			owner = await createTestUser(db, { name: 'Owner Olu' });
			const { assessment } = await testAssessment(db, { threshold: '3' }, owner);
			assessmentId = assessment.id;
			for (let i = 0; i < 3; i++)
				await submitAsVisitor(db, assessment, 'carer', await answerValues(db, () => '3'));
		});

		afterAll(async () => {
			stopAuth();
			await stopApp();
			await source?.close();
			for (const target of targets) await target.drop();
			fs.rmSync(scratch, { recursive: true, force: true });
		});

		it('restores people, events and answers into a fresh database, and CoLab starts on it', async () => {
			const backupFile = path.join(scratch, dialect === 'sqlite' ? 'colab.sqlite' : 'colab.dump');
			// Taken while the live database is open, as it would be with CoLab running.
			const backedUp = await runCliForSpec(['backup', '--to', backupFile], sourceEnv);
			expect(backedUp.stderr).toBe('');
			expect(backedUp.code).toBe(0);

			const target = await freshTarget(dialect, scratch);
			targets.push(target);
			const restored = await runCliForSpec(['restore', '--from', backupFile], target.env);
			expect(restored.stderr).toBe('');
			expect(restored.code).toBe(0);
			expect(restored.stdout).toMatch(/^Restored .* into /);

			// Start the way `npm start` does: the same settings, migrations, and accounts.
			const started = await startApp(readConfig(target.env));
			expect(started.database.dialect).toBe(dialect);
			const db = started.database.db;
			const auth = await startAuth(started);
			const accounts: AccountsContext = {
				auth,
				db,
				site: { siteName: started.config.siteName, origin: started.config.origin }
			};

			// People: signing in with their password, still signed in where they were.
			expect(
				await signIn(accounts, visitor(), { email: 'alex@example.test', password: PASSWORD })
			).toEqual({ ok: true });
			expect(
				await signIn(accounts, visitor(), { email: 'alex@example.test', password: 'not it at all' })
			).toEqual({ ok: false, reason: 'wrong-details' });
			expect((await readSession(auth, sam.headers))?.user).toEqual(sam.user);
			expect(await getPublicProfile(db, null, sam.user.id)).toMatchObject({
				name: 'Sam',
				pronouns: 'she/her',
				bio: 'Carer for my dad; I run the Tuesday group.',
				email: null,
				organisations: []
			});
			expect((await getPublicProfile(db, sam.user, alex.id))?.organisations).toEqual([
				{ slug: orgSlug, name: 'Riverside Carers' }
			]);

			// Organisations, with their members.
			const organisations = await listOrganisations(db);
			expect(organisations?.items.map((o) => o.name)).toEqual(['Riverside Carers']);
			const organisation = await viewOrganisation(db, alex, orgSlug);
			expect(organisation?.organisation.website).toBe('https://riverside.example.org/');
			expect(organisation?.viewer).toMatchObject({ role: 'admin', canEdit: true });

			// Events, with who has a place.
			const upcoming = await listEvents(db, {
				when: 'upcoming',
				filters: parseEventFilters(new URLSearchParams()),
				timeZone: TEST_SITE.timeZone
			});
			expect(upcoming?.items.map((e) => [e.id, e.title])).toEqual([[eventId, 'Carers’ exchange']]);
			const page = await viewEvent(db, sam.user, eventId);
			expect(page?.placesLeft).toBe(18);
			expect(page?.viewer.registration?.status).toBe('confirmed');
			expect(page?.host?.name).toBe('Curator Kim');

			// The check's answers, scored as before.
			const results = await roundResultsByNumber(db, owner, assessmentId, 1, AFTER);
			expect(results?.results.everyone.respondents).toBe(3);
			const before = await roundResultsByNumber(source.db, owner, assessmentId, 1, AFTER);
			expect(results?.results.everyone.overall).toBe(before?.results.everyone.overall);
			expect(results?.results.everyone.overall).toBe(75);

			// Restoring again over what is now there is refused unless asked for.
			await stopApp();
			stopAuth();
			const again = await runCliForSpec(['restore', '--from', backupFile], target.env);
			expect(again.code).toBe(1);
			expect(again.stderr).toMatch(
				dialect === 'sqlite' ? /already holds a database/ : /is not empty/
			);
		});

		it('takes a consistent backup while CoLab keeps writing', async () => {
			const db = source.db;
			// Big enough that copying it takes many steps, had it been copied in steps (SQLite's
			// default is 100 pages, started again whenever another connection writes in between).
			if (dialect === 'sqlite')
				await db
					.insertInto('instance_setting')
					.values({ key: 'spec.ballast', value: 'x'.repeat(2_000_000) })
					.execute();
			const before = (await listOrganisations(db))!.total;

			let writing = true;
			let written = 0;
			const writer = (async () => {
				while (writing) {
					const made = await createOrganisation(db, alex, {
						name: `Group ${written + 1}`,
						description: 'Made while the backup ran.',
						website: ''
					});
					if (made.ok) written++;
					await new Promise((resolve) => setImmediate(resolve));
				}
			})();
			const backupFile = path.join(scratch, `busy.${dialect === 'sqlite' ? 'sqlite' : 'dump'}`);
			let backedUp;
			try {
				backedUp = await runCliForSpec(['backup', '--to', backupFile], sourceEnv);
			} finally {
				writing = false;
				await writer;
			}
			expect(backedUp.stderr).toBe('');
			expect(backedUp.code).toBe(0);
			expect(written).toBeGreaterThan(0);

			const target = await freshTarget(dialect, scratch);
			targets.push(target);
			expect((await runCliForSpec(['restore', '--from', backupFile], target.env)).code).toBe(0);
			const config = readConfig(target.env);
			const copy = openDatabase({
				databaseUrl: config.databaseUrl,
				sqlitePath: path.join(config.dataDir, 'colab.sqlite')
			});
			try {
				// Each organisation was written with its first admin in one transaction: a copy
				// taken between the two would show an organisation without one.
				const rows = await copy.db
					.selectFrom('organisation as o')
					.leftJoin('organisation_member as m', (join) =>
						join.onRef('m.organisation_id', '=', 'o.id').on('m.role', '=', 'admin')
					)
					.select(['o.id', (eb) => eb.fn.count<number>('m.user_id').as('admins')])
					.groupBy('o.id')
					.execute();
				expect(rows.length).toBeGreaterThanOrEqual(before);
				expect(rows.length).toBeLessThanOrEqual(before + written);
				expect(rows.filter((row) => Number(row.admins) !== 1)).toEqual([]);
			} finally {
				await copy.close();
			}
		});
	});
}
