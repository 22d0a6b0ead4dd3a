import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { CountsRegistration, RegistrationRoutes } from './registration-routes';

@Controller('api/v1/register')
class PrefixedController {
  @Post('email')
  @CountsRegistration()
  email(): void {}

  @Get('email')
  form(): void {}

  @Post('username')
  username(): void {}
}

@Controller()
class BareController {
  @Post(['v2/signup', '/v2/legacy/signup/'])
  @CountsRegistration()
  signup(): void {}
}

describe('RegistrationRoutes', () => {
  let routes: RegistrationRoutes;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      controllers: [PrefixedController, BareController],
      providers: [RegistrationRoutes],
    }).compile();
    routes = moduleRef.get(RegistrationRoutes);
  });

  it.each([
    ['POST', '/api/v1/register/email'],
    ['POST', '/v2/signup'],
    ['POST', '/v2/legacy/signup'],
  ])('reads %s %s from a marked handler and its controller path', (method, pattern) => {
    expect(routes.has(method, pattern)).toBe(true);
  });

  it.each([
    ['GET', '/api/v1/register/email'],
    ['POST', '/api/v1/register/username'],
    ['POST', '/api/v1/register'],
    ['POST', 'unmatched'],
  ])('leaves out %s %s, which no marked handler serves', (method, pattern) => {
    expect(routes.has(method, pattern)).toBe(false);
  });
});
