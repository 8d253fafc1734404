import { Body, Controller, Get, Headers, Post } from '@nestjs/common';
import { FeatureFlag, Flag, FlagVariable, VWOService } from '../../../lib';

const USER_HEADER = 'x-vwo-user-id';

/** What the checkout page shows. */
export interface CheckoutView {
  checkout: 'new' | 'classic';
  headline: string;
  buttonText: string;
  reason: string;
}

/**
 * A shop whose new checkout is behind the "new-checkout" flag. The user comes from the `x-vwo-user-id`
 * header (the module's default user context); the flag is evaluated once per request, however many
 * decorators ask for it.
 */
@Controller('checkout')
export class CheckoutController {
  constructor(private readonly vwo: VWOService) {}

  /** Everyone sees a checkout; its kind and copy come from the flag and its variables. */
  @Get()
  show(
    @Flag('new-checkout') flag: Flag,
    @FlagVariable('new-checkout', 'headline', 'Checkout') headline: string,
    @FlagVariable('new-checkout', 'buttonText', 'Place order') buttonText: string,
  ): CheckoutView {
    if (!flag.isEnabled()) return { checkout: 'classic', headline: 'Checkout', buttonText: 'Place order', reason: flag.reason };
    return { checkout: 'new', headline, buttonText, reason: flag.reason };
  }

  /** One-click ordering exists only for users with the new checkout: for everyone else this route is a 404. */
  @Get('one-click')
  @FeatureFlag('new-checkout')
  oneClick(@FlagVariable('new-checkout', 'buttonText', 'Place order') buttonText: string): { oneClick: true; buttonText: string } {
    return { oneClick: true, buttonText };
  }

  @Post('purchase')
  async purchase(@Headers(USER_HEADER) userId = 'anonymous', @Body() body: { amount?: number } = {}): Promise<{ tracked: boolean }> {
    const result = await this.vwo.trackEvent('purchase', { id: userId }, { amount: body.amount ?? 0 });
    return { tracked: result.purchase === true };
  }
}
