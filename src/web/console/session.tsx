import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { api } from '../shared/api.js';

export interface Assignment {
  id: string;
  role: string;
  orgUnitId: string | null;
  orgPath: string | null;
  orgName: string | null;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'resident';
  assignments: Assignment[];
  actingAssignmentId: string | null;
  /** Signed in with a reset or generated password: only the change-password form is shown. */
  mustChangePassword: boolean;
  permissions: string[];
}

interface Session {
  me: Me;
  can(permission: string | undefined): boolean;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useMeQuery() {
  return useQuery({
    queryKey: ['me'],
    queryFn: () => api<Me>('/api/auth/me'),
    retry: false,
    staleTime: 60_000,
  });
}

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const qc = useQueryClient();
  const value: Session = {
    me,
    can: (p) => !p || me.permissions.includes(p),
    refresh: () => qc.invalidateQueries(),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
