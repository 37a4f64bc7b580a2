/**
 * The demo users of the local dev identity provider, as `npm start` prints them: the kernel's and
 * every service module's, served by the local runtime (`GET /local/users`, never deployed). In
 * AWS, sign-in goes through Cognito instead.
 */
import { useEffect, useState } from 'react';
import type { User } from './session.ts';

let cached: Promise<User[]> | undefined;

function load(): Promise<User[]> {
  cached ??= fetch('/local/users')
    .then((res) => (res.ok ? (res.json() as Promise<{ items: User[] }>) : { items: [] }))
    .then((body) => body.items)
    .catch(() => {
      cached = undefined;
      return [];
    });
  return cached;
}

export function useDemoUsers(): User[] {
  const [users, setUsers] = useState<User[]>([]);
  useEffect(() => {
    let live = true;
    void load().then((u) => live && setUsers(u));
    return () => {
      live = false;
    };
  }, []);
  return users;
}
