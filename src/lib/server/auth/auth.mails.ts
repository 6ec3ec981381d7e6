import type { OutgoingMail } from '../mail/outbox';
import { renderMail } from '../mail/templates';

/**
 * The emails accounts send. Every link points at one of our own pages (never at /api/auth),
 * because each of those pages works without JavaScript.
 */
export interface MailSite {
	siteName: string;
	origin: string;
}

export const LINK_LIFETIMES = {
	/** Confirming an email address (sign-up or a change of address). */
	verifyEmailSeconds: 24 * 60 * 60,
	signInLinkSeconds: 15 * 60,
	resetPasswordSeconds: 60 * 60
} as const;

function greeting(name: string | null | undefined): string {
	return name ? `Hello ${name},` : 'Hello,';
}

function pageUrl(site: MailSite, path: string, token?: string): string {
	const url = new URL(path, site.origin + '/');
	if (token) url.searchParams.set('token', token);
	return url.toString();
}

export function verifyEmailMail(
	site: MailSite,
	user: { id: string; name: string; email: string },
	token: string
): OutgoingMail {
	const body = renderMail({
		siteName: site.siteName,
		greeting: greeting(user.name),
		paragraphs: [
			`Thank you for creating an account on ${site.siteName}.`,
			'Please confirm that this is your email address. You will be signed in straight away.'
		],
		action: { label: 'Confirm your email address', url: pageUrl(site, '/verify-email', token) },
		footnotes: [
			'This link works for 24 hours.',
			'If you did not create an account, you can ignore this email. Nothing will happen.'
		]
	});
	return {
		to: user.email,
		subject: `Confirm your email address for ${site.siteName}`,
		...body,
		kind: 'auth.verify-email',
		userId: user.id
	};
}

export function confirmNewEmailMail(
	site: MailSite,
	user: { id: string; name: string },
	newEmail: string,
	token: string
): OutgoingMail {
	const body = renderMail({
		siteName: site.siteName,
		greeting: greeting(user.name),
		paragraphs: [
			`You asked to use this address for your ${site.siteName} account.`,
			'Please confirm it. Until you do, we keep sending mail to your old address.'
		],
		action: { label: 'Confirm your new email address', url: pageUrl(site, '/verify-email', token) },
		footnotes: [
			'This link works for 24 hours.',
			'If you did not ask for this, you can ignore this email. Nothing will change.'
		]
	});
	return {
		to: newEmail,
		subject: `Confirm your new email address for ${site.siteName}`,
		...body,
		kind: 'auth.change-email',
		userId: user.id
	};
}

export function emailChangeRequestedMail(
	site: MailSite,
	user: { id: string; name: string; email: string },
	newEmail: string
): OutgoingMail {
	const body = renderMail({
		siteName: site.siteName,
		greeting: greeting(user.name),
		paragraphs: [
			`Someone signed in to your ${site.siteName} account asked to change its email address to ${newEmail}.`,
			'The change only happens when the link we sent to the new address is used.',
			'If this was not you, change your password now and sign out of every device.'
		],
		action: { label: 'Go to your account', url: pageUrl(site, '/account') }
	});
	return {
		to: user.email,
		subject: `Your ${site.siteName} email address is being changed`,
		...body,
		kind: 'auth.change-email-notice',
		userId: user.id
	};
}

export function signInLinkMail(
	site: MailSite,
	user: { id: string; name: string; email: string },
	token: string
): OutgoingMail {
	const body = renderMail({
		siteName: site.siteName,
		greeting: greeting(user.name),
		paragraphs: [`Use this link to sign in to ${site.siteName}. It works once.`],
		action: { label: 'Sign in', url: pageUrl(site, '/sign-in/link', token) },
		footnotes: [
			'This link works for 15 minutes.',
			'If you did not ask for it, you can ignore this email. Nobody can sign in without the link.'
		]
	});
	return {
		to: user.email,
		subject: `Your sign-in link for ${site.siteName}`,
		...body,
		kind: 'auth.sign-in-link',
		userId: user.id
	};
}

export function resetPasswordMail(
	site: MailSite,
	user: { id: string; name: string; email: string },
	token: string
): OutgoingMail {
	const body = renderMail({
		siteName: site.siteName,
		greeting: greeting(user.name),
		paragraphs: [
			`Someone asked to reset the password for your ${site.siteName} account.`,
			'Use this link to choose a new password. It works once.'
		],
		action: { label: 'Choose a new password', url: pageUrl(site, '/reset-password', token) },
		footnotes: [
			'This link works for 1 hour.',
			'If you did not ask for this, you can ignore this email. Your password stays the same.'
		]
	});
	return {
		to: user.email,
		subject: `Reset your password for ${site.siteName}`,
		...body,
		kind: 'auth.reset-password',
		userId: user.id
	};
}

/** Sent to the owner of an address when someone tries to sign up with it again. */
export function existingAccountMail(
	site: MailSite,
	user: { id: string; name: string; email: string; emailVerified: boolean },
	verifyToken?: string
): OutgoingMail {
	const body = renderMail({
		siteName: site.siteName,
		greeting: greeting(user.name),
		paragraphs: [
			`Someone tried to create a ${site.siteName} account with this email address. You already have one.`,
			verifyToken
				? 'You have not confirmed your address yet. Use the link below to confirm it and sign in.'
				: `To sign in, go to ${pageUrl(site, '/sign-in')}. If you have forgotten your password, you can reset it at ${pageUrl(site, '/forgot-password')}.`
		],
		action: verifyToken
			? { label: 'Confirm your email address', url: pageUrl(site, '/verify-email', verifyToken) }
			: undefined,
		footnotes: ['If this was not you, you can ignore this email. Your account has not changed.']
	});
	return {
		to: user.email,
		subject: `You already have an account on ${site.siteName}`,
		...body,
		kind: 'auth.existing-account',
		userId: user.id
	};
}

export function passwordChangedMail(
	site: MailSite,
	user: { id: string; name: string; email: string }
): OutgoingMail {
	const body = renderMail({
		siteName: site.siteName,
		greeting: greeting(user.name),
		paragraphs: [
			`The password for your ${site.siteName} account was just changed.`,
			`If this was not you, reset your password now at ${pageUrl(site, '/forgot-password')}.`
		]
	});
	return {
		to: user.email,
		subject: `Your ${site.siteName} password was changed`,
		...body,
		kind: 'auth.password-changed',
		userId: user.id
	};
}

/** Sent when an administrator creates an account for someone (e.g. with the CLI). */
export function accountCreatedMail(
	site: MailSite,
	user: { id: string; name: string; email: string },
	withPassword: boolean
): OutgoingMail {
	const body = renderMail({
		siteName: site.siteName,
		greeting: greeting(user.name),
		paragraphs: [
			`An account on ${site.siteName} has been created for you with this email address.`,
			withPassword
				? 'Sign in with the password you were given, or ask for a sign-in link by email.'
				: 'To sign in, ask for a sign-in link: we email you a link that signs you in. You can set a password afterwards in your account.'
		],
		action: withPassword
			? { label: 'Sign in', url: pageUrl(site, '/sign-in') }
			: { label: 'Get a sign-in link', url: pageUrl(site, '/sign-in/link') }
	});
	return {
		to: user.email,
		subject: `Your account on ${site.siteName}`,
		...body,
		kind: 'auth.account-created',
		userId: user.id
	};
}
