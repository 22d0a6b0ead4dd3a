import { User } from '../../users/entities/user.entity';
import type { BytepowerUserDto } from './dto/bytepower-user.response.dto';

/** BytePower user ids look like `u12345`. */
export const formatBytepowerUid = (id: number) => `u${id}`;

/** The seed's user object; `session` only when one was just opened. */
export function presentBytepowerUser(user: User, isNewUser: boolean, sessionToken?: string): BytepowerUserDto {
  const cuid = user.profile.cuid;
  return {
    uid: formatBytepowerUid(user.id),
    name: user.username,
    create_time: user.createdAt,
    is_new_user: isNewUser,
    social_accounts: [],
    phone: user.phone ? { phone_number: user.phone } : null,
    email: user.email,
    cuid: typeof cuid === 'string' ? cuid : null,
    ...(sessionToken === undefined ? {} : { session: { session_token: sessionToken } }),
  };
}
