/**
 * The demo users of the local dev identity provider: the same list `npm start` prints
 * (local/demo-users.ts). In AWS, sign-in goes through Cognito instead.
 */
import { demoUsers as all } from '../../local/demo-users.ts';
import type { User } from './session.ts';

export const demoUsers: User[] = all;
