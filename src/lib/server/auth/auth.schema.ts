import { z } from 'zod';
import { ROLES } from './auth.types';

/** Kept in step with better-auth's own limits (see auth.ts). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

const email = z
	.string()
	.trim()
	.min(1, 'Enter your email address')
	.max(254, 'Email address must be 254 characters or fewer')
	.pipe(z.email('Enter an email address in the right format, like name@example.com'))
	.transform((value) => value.toLowerCase());

const name = z
	.string()
	.trim()
	.min(1, 'Enter your name')
	.max(100, 'Name must be 100 characters or fewer');

/** A password being chosen: `what` is how the messages name it, e.g. "new password". */
function newPassword(what: 'password' | 'new password') {
	const name = what.charAt(0).toUpperCase() + what.slice(1);
	return z
		.string()
		.min(1, `Enter a ${what}`)
		.min(PASSWORD_MIN_LENGTH, `${name} must be at least ${PASSWORD_MIN_LENGTH} characters`)
		.max(PASSWORD_MAX_LENGTH, `${name} must be ${PASSWORD_MAX_LENGTH} characters or fewer`);
}

const currentPassword = z
	.string()
	.min(1, 'Enter your password')
	.max(PASSWORD_MAX_LENGTH, 'That password is too long');

const token = z.string().trim().min(1).max(2000);

export const signUpSchema = z.object({ name, email, password: newPassword('password') });
export type SignUpInput = z.output<typeof signUpSchema>;

export const signInSchema = z.object({ email, password: currentPassword });
export type SignInInput = z.output<typeof signInSchema>;

/** For the forms that only ask for an email: sign-in link, forgotten password, new link. */
export const emailOnlySchema = z.object({ email });
export type EmailOnlyInput = z.output<typeof emailOnlySchema>;

export const tokenSchema = z.object({ token });

export const resetPasswordSchema = z.object({ token, password: newPassword('new password') });
export type ResetPasswordInput = z.output<typeof resetPasswordSchema>;

export const changePasswordSchema = z.object({
	currentPassword,
	newPassword: newPassword('new password')
});
export type ChangePasswordInput = z.output<typeof changePasswordSchema>;

export const setPasswordSchema = z.object({ newPassword: newPassword('new password') });
export type SetPasswordInput = z.output<typeof setPasswordSchema>;

/** Changing email asks for the password (when there is one), so a stolen session cannot. */
export const changeEmailSchema = z.object({
	newEmail: email,
	currentPassword: z.string().max(PASSWORD_MAX_LENGTH, 'That password is too long').optional()
});
export type ChangeEmailInput = z.output<typeof changeEmailSchema>;

export const setupSchema = z.object({
	code: z
		.string()
		.trim()
		.min(1, 'Enter the setup code from the terminal')
		.max(100, 'That is not a setup code')
		.transform((value) => value.toUpperCase().replace(/[^A-Z0-9]/g, '')),
	name,
	email,
	password: newPassword('password')
});
export type SetupInput = z.output<typeof setupSchema>;

export const roleSchema = z.enum(ROLES, {
	error: () => `Role must be one of: ${ROLES.join(', ')}`
});

export const createUserSchema = z.object({
	name,
	email,
	role: roleSchema,
	password: newPassword('password').optional()
});
export type CreateUserInput = z.output<typeof createUserSchema>;

export const changeRoleSchema = z.object({ email, role: roleSchema });
export type ChangeRoleInput = z.output<typeof changeRoleSchema>;

/** A path inside CoLab to return to after signing in; anything else falls back to `fallback`. */
export function safeNextPath(value: string | null | undefined, fallback = '/account'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
		return fallback;
	if (/[\r\n]/.test(value)) return fallback;
	return value;
}
