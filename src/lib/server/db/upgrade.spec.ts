import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startApp, stopApp } from '../app';
import { startAuth, stopAuth } from '../auth/auth';
import { signIn, type AccountsContext } from '../auth/auth.service';
import { visitor } from '../auth/auth.testing';
import type { SessionUser } from '../auth/auth.types';
import { readConfig } from '../config';
import { createEvent } from '../events/events.service';
import { eventValues, TEST_SITE } from '../events/events.testing';
import { listEvents, parseEventFilters, viewEvent } from '../events/events.queries';
import { viewOrganisation } from '../organisations/organisations.service';
import { getPublicProfile } from '../profiles/profiles.service';
import { DIALECTS } from '../testing/databases';
import {
	adminQuery,
	TEST_DATABASE_URL,
	throwawayName,
	withDatabaseName
} from '../testing/postgres';
import { openDatabase, type Database, type DialectName } from './database';
import { migrations } from './migrations/index';

// `npm start` on a newer CoLab must carry an older one's data forward. These specs make a
// database as earlier releases left it, with data written by frozen SQL in the shape those
// releases used (never through today's repositories, which follow today's schema), then start
// today's app on it and use the data through today's services.
//
// Releases, from the history of src/lib/server/db/migrations:
// - the first release (the foundation, issue 2): migrations 01 to 05, added between 08:13 and
//   08:24 on 2026-11-26 and never changed since: accounts, mail, profiles, organisations, audit;
// - the events release (issue 3): adds 06, whose final form landed at 11:55 that day.

const FIRST_RELEASE = '2026-11-26-05-admin';
const EVENTS_RELEASE = '2026-11-26-06-events';
const ALL = Object.keys(migrations);

/** The password behind PASSWORD_HASH, as better-auth 1.7.25 (the first release's) stored it. */
const PASSWORD = 'a long and memorable passphrase';
const PASSWORD_HASH =
	'e70cbeeca360bef475104576af062652:f3998e0682409c34de85f417c97cafed67b6739295e7225a30362c96d2b005bd3e3f8983d3579543aa934ab09bacdfc23c5f2bf623871b7dca4b5c5a24a553a1';

const PRIYA = 'usr_priya_0000000000000001';
const SAM = 'usr_sam_00000000000000002';
const ORGANISATION = 'org_riverside_000000000001';
const EVENT = 'evt_exchange_0000000000001';
const THEN = '2026-11-26T09:00:00.000Z';

/** A database left by an old release: an empty SQLite folder or PostgreSQL database to start. */
interface OldInstall {
	database: Database;
	env: NodeJS.ProcessEnv;
	drop(): Promise<void>;
}

async function emptyInstall(dialect: DialectName): Promise<OldInstall> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colab-upgrade-'));
	const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, ORIGIN: 'http://colab.upgrade.test' };
	const removeFolder = async () => fs.rmSync(dataDir, { recursive: true, force: true });
	if (dialect === 'sqlite') {
		const database = openDatabase({ sqlitePath: path.join(dataDir, 'colab.sqlite') });
		return { database, env, drop: removeFolder };
	}
	const name = throwawayName('colab_upgrade');
	await adminQuery(`create database ${name}`);
	env.DATABASE_URL = withDatabaseName(TEST_DATABASE_URL, name);
	const database = openDatabase({ databaseUrl: env.DATABASE_URL });
	return {
		database,
		env,
		drop: async () => {
			await adminQuery(`drop database if exists ${name} with (force)`);
			await removeFolder();
		}
	};
}

/** Applies the migrations up to and including `name`, as the release that shipped it did. */
async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
	const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
	const result = await migrator.migrateTo(name);
	if (result.error) throw result.error;
}

async function applied(db: Kysely<any>): Promise<string[]> {
	const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
		db
	);
	return rows.rows.map((row) => row.name);
}

/** The first release's data: two people with passwords, profiles, an organisation, history. */
async function writeFirstReleaseData(db: Kysely<any>, dialect: DialectName): Promise<void> {
	const yes = dialect === 'postgres' ? true : 1;
	const statements = [
		sql`insert into instance_setting (key, value) values ('auth.secret', 'kept-from-the-first-release-0123456789')`,
		sql`insert into app_user (id, name, email, email_verified, image, role, created_at, updated_at)
			values (${PRIYA}, 'Priya Admin', 'priya@example.test', ${yes}, null, 'administrator', ${THEN}, ${THEN})`,
		sql`insert into app_user (id, name, email, email_verified, image, role, created_at, updated_at)
			values (${SAM}, 'Sam Member', 'sam@example.test', ${yes}, null, 'member', ${THEN}, ${THEN})`,
		sql`insert into auth_account (id, user_id, account_id, provider_id, password, created_at, updated_at)
			values ('acc_priya', ${PRIYA}, ${PRIYA}, 'credential', ${PASSWORD_HASH}, ${THEN}, ${THEN})`,
		sql`insert into auth_account (id, user_id, account_id, provider_id, password, created_at, updated_at)
			values ('acc_sam', ${SAM}, ${SAM}, 'credential', ${PASSWORD_HASH}, ${THEN}, ${THEN})`,
		sql`insert into profile (user_id, bio, pronouns, show_bio, show_pronouns, show_organisations, show_email, updated_at)
			values (${SAM}, 'Carer for my dad.', 'he/him', 1, 1, 1, 0, ${THEN})`,
		sql`insert into organisation (id, slug, name, description, website, created_by, created_at, updated_at)
			values (${ORGANISATION}, 'riverside-carers', 'Riverside Carers', 'Carers supporting carers.',
				'https://riverside.example.org', ${PRIYA}, ${THEN}, ${THEN})`,
		sql`insert into organisation_member (organisation_id, user_id, role, joined_at)
			values (${ORGANISATION}, ${PRIYA}, 'admin', ${THEN})`,
		sql`insert into organisation_member (organisation_id, user_id, role, joined_at)
			values (${ORGANISATION}, ${SAM}, 'member', ${THEN})`,
		sql`insert into audit_log (id, actor_id, actor_name, action, target_type, target_id, detail, created_at)
			values ('aud_1', ${PRIYA}, 'Priya Admin', 'user.role', 'user', ${SAM}, '{"from":"member","to":"member"}', ${THEN})`,
		sql`insert into mail_outbox (id, to_address, subject, text_body, kind, user_id, status, attempts, next_attempt_at, created_at, sent_at)
			values ('mail_1', 'sam@example.test', 'Welcome', 'Welcome to CoLab.', 'auth.verify-email', ${SAM}, 'sent', 1, ${THEN}, ${THEN}, ${THEN})`
	];
	for (const statement of statements) await statement.execute(db);
}

/** The events release's data: an exchange session of the organisation, Sam with a place. */
async function writeEventsReleaseData(db: Kysely<any>): Promise<void> {
	await sql`insert into event (id, title, format_id, description, summary, starts_at, ends_at,
			time_band, mode, venue_name, venue_address, access_step_free, access_hearing_loop,
			host_id, organisation_id, capacity, places_taken, status, visibility, approval,
			approved_by, created_at, updated_at)
		values (${EVENT}, 'Carers’ exchange', 'exchange', 'Sharing **what works**.', 'Sharing what works.',
			'2030-06-04T17:00:00.000Z', '2030-06-04T18:30:00.000Z', 'evening', 'in_person',
			'Riverside Library', '1 High Street', 1, 1, ${PRIYA}, ${ORGANISATION}, 20, 1, 'scheduled',
			'public', 'approved', ${PRIYA}, ${THEN}, ${THEN})`.execute(db);
	await sql`insert into event_registration (id, event_id, user_id, status, places, need_step_free,
			queued_at, confirmed_at, created_at, updated_at)
		values ('reg_sam', ${EVENT}, ${SAM}, 'confirmed', 1, 1, ${THEN}, ${THEN}, ${THEN}, ${THEN})`.execute(
		db
	);
}

const priya: SessionUser = {
	id: PRIYA,
	name: 'Priya Admin',
	email: 'priya@example.test',
	emailVerified: true,
	role: 'administrator'
};
const sam: SessionUser = {
	...priya,
	id: SAM,
	name: 'Sam Member',
	email: 'sam@example.test',
	role: 'member'
};

/** Starts today's CoLab on the old install as `npm start` does, with accounts as the server has them. */
async function startToday(install: OldInstall) {
	await install.database.close();
	const started = await startApp(readConfig(install.env));
	const auth = await startAuth(started);
	const accounts: AccountsContext = {
		auth,
		db: started.database.db,
		site: { siteName: started.config.siteName, origin: started.config.origin }
	};
	return { db: started.database.db, accounts };
}

async function upcoming(db: Kysely<any>) {
	const page = await listEvents(db, {
		when: 'upcoming',
		filters: parseEventFilters(new URLSearchParams()),
		timeZone: TEST_SITE.timeZone,
		now: '2027-01-01T00:00:00.000Z'
	});
	return page?.items.map((e) => e.title);
}

for (const dialect of DIALECTS) {
	const skip = dialect === 'postgres' && !inject('postgresTemplate');
	describe.skipIf(skip)(`upgrading an older CoLab [${dialect}]`, () => {
		let install: OldInstall | undefined;
		afterEach(async () => {
			stopAuth();
			await stopApp();
			await install?.database.close().catch(() => {});
			await install?.drop();
			install = undefined;
		});

		it('starts on the first release’s database: people sign in, profiles and organisations show, events work', async () => {
			install = await emptyInstall(dialect);
			await migrateTo(install.database.db, FIRST_RELEASE);
			expect(await applied(install.database.db)).toEqual(ALL.slice(0, 5));
			await writeFirstReleaseData(install.database.db, dialect);

			const { db, accounts } = await startToday(install);
			expect(await applied(db)).toEqual([...ALL].sort());

			expect(
				await signIn(accounts, visitor(), { email: 'sam@example.test', password: PASSWORD })
			).toEqual({ ok: true });
			expect(
				await signIn(accounts, visitor(), { email: 'sam@example.test', password: 'something else' })
			).toEqual({ ok: false, reason: 'wrong-details' });
			expect(await getPublicProfile(db, null, SAM)).toMatchObject({
				name: 'Sam Member',
				pronouns: 'he/him',
				bio: 'Carer for my dad.',
				organisations: [{ slug: 'riverside-carers', name: 'Riverside Carers' }]
			});
			const organisation = await viewOrganisation(db, priya, 'riverside-carers');
			expect(organisation?.viewer).toMatchObject({ role: 'admin', canEdit: true });

			// Events came later: the list is there and empty, and the first release's admin can add one.
			expect(await upcoming(db)).toEqual([]);
			const created = await createEvent(
				db,
				TEST_SITE,
				priya,
				eventValues({ title: 'First event' })
			);
			expect(created).toMatchObject({ ok: true, event: { approval: 'approved' } });
			expect(await upcoming(db)).toEqual(['First event']);
		});

		it('starts on a database one migration behind, made from the first and events releases’ data', async () => {
			install = await emptyInstall(dialect);
			const db0 = install.database.db;
			await migrateTo(db0, FIRST_RELEASE);
			await writeFirstReleaseData(db0, dialect);
			await migrateTo(db0, EVENTS_RELEASE);
			await writeEventsReleaseData(db0);
			// Whatever the latest migration is now, leave only it for the start to apply.
			const oneBehind = ALL[ALL.length - 2]!;
			if (ALL.indexOf(oneBehind) > ALL.indexOf(EVENTS_RELEASE)) await migrateTo(db0, oneBehind);
			const before = await applied(db0);
			expect(ALL.filter((name) => !before.includes(name))).toEqual([ALL[ALL.length - 1]]);

			const { db, accounts } = await startToday(install);
			expect(await applied(db)).toEqual([...ALL].sort());

			expect(
				await signIn(accounts, visitor(), { email: 'priya@example.test', password: PASSWORD })
			).toEqual({ ok: true });
			expect(await upcoming(db)).toEqual(['Carers’ exchange']);
			const page = await viewEvent(db, sam, EVENT, '2027-01-01T00:00:00.000Z');
			expect(page).toMatchObject({
				placesLeft: 19,
				host: { id: PRIYA, name: 'Priya Admin' },
				organisation: { slug: 'riverside-carers', name: 'Riverside Carers' },
				registration: 'open'
			});
			expect(page?.viewer.registration).toMatchObject({ status: 'confirmed', need_step_free: 1 });
			expect(await getPublicProfile(db, sam, SAM)).toMatchObject({
				isOwn: true,
				bio: 'Carer for my dad.'
			});
		});
	});
}
