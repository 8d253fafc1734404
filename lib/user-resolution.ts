import { currentUserContext } from './context/request-context';
import { userIdProblem } from './engine/user-id';
import type { VWOUserContext } from './engine/types';
import type { UserAliasClient } from './settings/user-alias.client';

/** The package's one user-id rule (engine/user-id): a truthy id VWO can hash. */
export function hasUserId(user: VWOUserContext | undefined): user is VWOUserContext {
  return userIdProblem(user) === undefined;
}

/** The user of a call: the given context or the current request's, with a usable id, alias-resolved. */
export class UserResolution {
  constructor(private readonly aliases: UserAliasClient) {}

  async resolve(context: VWOUserContext | undefined): Promise<VWOUserContext | undefined> {
    const user = context ?? (await currentUserContext());
    if (!hasUserId(user)) return undefined;
    return this.aliases.enabled ? this.aliases.resolve(user) : user;
  }
}
