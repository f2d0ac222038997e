// The staff of a business, as owners manage them in the console: list, add (with an email telling
// the new member how to sign in), change a role, remove. A business always keeps an owner, and an
// owner cannot remove themselves (another owner can).
import { newId } from '../lib/crypto';
import { AppError, notFound } from '../lib/errors';
import { staffAddedEmail } from '../mail/templates/staff';
import type { Staff } from '../store/types';
import type { Deps } from './deps';
import { getBusinessOrThrow } from './settings';

const lastOwner = () =>
  new AppError(409, 'last_owner', 'A business must keep at least one owner: make another staff member an owner first.');

export function presentStaff(staff: Staff) {
  return { id: staff.id, email: staff.email, name: staff.name, role: staff.role, createdAt: new Date(staff.createdAt).toISOString() };
}

export function listStaff(deps: Deps, businessId: string): Promise<Staff[]> {
  return deps.store.listStaff(businessId);
}

export async function addStaffMember(deps: Deps, businessId: string, input: { email: string; role: Staff['role'] }): Promise<Staff> {
  const business = await getBusinessOrThrow(deps, businessId);
  const welcome = staffAddedEmail(business, input, `${deps.publicUrl}/admin`);
  return deps.store.addStaff(businessId, input.email, input.role, deps.clock.now(), {
    id: newId('eml'),
    businessId,
    kind: 'staff_added',
    to: input.email,
    ...welcome,
  });
}

export async function changeStaffRole(deps: Deps, businessId: string, staffId: string, role: Staff['role']): Promise<Staff> {
  const result = await deps.store.changeStaffRole(businessId, staffId, role);
  if (result.status === 'not_found') throw notFound('Staff member');
  if (result.status === 'last_owner') throw lastOwner();
  return result.staff;
}

/** `actorId`: the owner asking, who may not remove themselves. */
export async function removeStaffMember(deps: Deps, businessId: string, actorId: string, staffId: string): Promise<void> {
  if (staffId === actorId) {
    throw new AppError(409, 'cannot_remove_yourself', 'You cannot remove yourself from the business; another owner can.');
  }
  const result = await deps.store.removeStaff(businessId, staffId);
  if (result.status === 'not_found') throw notFound('Staff member');
  if (result.status === 'last_owner') throw lastOwner();
}
