import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { accounts, clientOf, requireUser } from '$lib/server/auth/auth.http';
import {
	listMySessions,
	signOutEverywhere,
	signOutOtherDevices
} from '$lib/server/auth/auth.service';
import type { Actions, PageServerLoad } from './$types';

/** "Firefox on Linux", roughly, from a user agent (enough to recognise a device). */
function describeDevice(userAgent: string | null): string {
	if (!userAgent) return 'Unknown browser';
	const browser = /Edg\//.test(userAgent)
		? 'Edge'
		: /Firefox\//.test(userAgent)
			? 'Firefox'
			: /Chrom(e|ium)\//.test(userAgent)
				? 'Chrome'
				: /Safari\//.test(userAgent)
					? 'Safari'
					: 'A browser';
	const system = /Android/.test(userAgent)
		? 'Android'
		: /iPhone|iPad/.test(userAgent)
			? 'iOS'
			: /Windows/.test(userAgent)
				? 'Windows'
				: /Mac OS X/.test(userAgent)
					? 'macOS'
					: /Linux/.test(userAgent)
						? 'Linux'
						: 'an unknown system';
	return `${browser} on ${system}`;
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { timeZone } = app().config;
	const format = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone
	});
	const sessions = await listMySessions(app().database.db, user);
	return {
		sessions: sessions.map((s) => ({
			id: s.id,
			current: s.id === event.locals.sessionId,
			device: describeDevice(s.userAgent),
			signedInAt: format.format(new Date(s.createdAt)),
			lastSeenAt: format.format(new Date(s.updatedAt))
		}))
	};
};

export const actions: Actions = {
	others: async (event) => {
		const user = requireUser(event);
		await signOutOtherDevices(accounts(), clientOf(event), user);
		redirect(303, '/account?changed=signed-out-others');
	},
	everywhere: async (event) => {
		const user = requireUser(event);
		await signOutEverywhere(accounts(), clientOf(event), user);
		redirect(303, '/sign-in?signed-out=everywhere');
	}
};
