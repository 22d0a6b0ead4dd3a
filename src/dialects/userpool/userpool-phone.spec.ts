import { mobileOf } from './userpool-phone';

describe('mobileOf', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['138 0013 8000', '+8613800138000'],
    ['+86 138-0013-8000', '+8613800138000'],
    ['+44 7911 123456', '+447911123456'],
    ['+1 555', null],
    ['1234', null],
    ['12800138000', null],
  ])('reads %j as %j', (phone, mobile) => {
    expect(mobileOf(phone)).toBe(mobile);
  });
});
