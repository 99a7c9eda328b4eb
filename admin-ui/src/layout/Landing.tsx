/**
 * The page a user lands on ("/", after logging in): supervisors on supervision (督办: overdue work and the
 * monthly clearance of their region), everyone else on the task inbox.
 */
import { useGetIdentity } from 'react-admin';
import { Navigate } from 'react-router-dom';

export const landingPath = (role: string | undefined) => (role === 'supervisor' ? '/supervision' : '/tasks');

export function Landing() {
  const { identity, isPending } = useGetIdentity();
  if (isPending) return null;
  return <Navigate to={landingPath(identity?.role as string | undefined)} replace />;
}
