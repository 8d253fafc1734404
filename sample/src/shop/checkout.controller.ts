import { Body, Controller, Get, Headers, Post } from '@nestjs/common';
import { VWOService } from '../../../lib';

const USER_HEADER = 'x-vwo-user-id';

/** What the checkout page shows. */
export interface CheckoutView {
  checkout: 'new' | 'classic';
  headline: string;
  buttonText: string;
  reason: string;
}

/** A shop whose new checkout is behind the "new-checkout" flag; its copy comes from the flag's variables. */
@Controller('checkout')
export class CheckoutController {
  constructor(private readonly vwo: VWOService) {}

  @Get()
  async show(@Headers(USER_HEADER) userId = 'anonymous'): Promise<CheckoutView> {
    const flag = await this.vwo.getFlag('new-checkout', { id: userId });
    if (!flag.isEnabled()) {
      return { checkout: 'classic', headline: 'Checkout', buttonText: 'Place order', reason: flag.reason };
    }
    return {
      checkout: 'new',
      headline: flag.getVariable('headline', 'Checkout') as string,
      buttonText: flag.getVariable('buttonText', 'Place order') as string,
      reason: flag.reason,
    };
  }

  @Post('purchase')
  async purchase(@Headers(USER_HEADER) userId = 'anonymous', @Body() body: { amount?: number } = {}): Promise<{ tracked: boolean }> {
    const result = await this.vwo.trackEvent('purchase', { id: userId }, { amount: body.amount ?? 0 });
    return { tracked: result.purchase === true };
  }
}
