import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { User } from '../../users/entities/user.entity';
import { JsonApiUsersService } from './jsonapi-users.service';

type ViewerRequest = Request & { viewer?: User; viewerFamilyId?: string };

/** Lets through requests whose `Authorization: Bearer` names an active user of the site; else 401 `access_denied`. */
@Injectable()
export class JsonApiBearerGuard implements CanActivate {
  constructor(private readonly jsonApi: JsonApiUsersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ViewerRequest>();
    const { user, familyId } = await this.jsonApi.bearerSession(request.headers.authorization);
    request.viewer = user;
    request.viewerFamilyId = familyId;
    return true;
  }
}

/** The user JsonApiBearerGuard let through. */
export const Viewer = createParamDecorator((_data: unknown, context: ExecutionContext): User => {
  const viewer = context.switchToHttp().getRequest<ViewerRequest>().viewer;
  if (!viewer) {
    throw new Error('Viewer used on a route without JsonApiBearerGuard');
  }
  return viewer;
});

/** The refresh family of the access token JsonApiBearerGuard let through: the caller's own session. */
export const ViewerFamily = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const familyId = context.switchToHttp().getRequest<ViewerRequest>().viewerFamilyId;
  if (familyId === undefined) {
    throw new Error('ViewerFamily used on a route without JsonApiBearerGuard');
  }
  return familyId;
});
