import { Module } from '@nestjs/common';
import { VWOModule, VWOModuleOptions } from '../../lib';
import { CheckoutController } from './shop/checkout.controller';
import { WishlistController } from './shop/wishlist.controller';
import { SHOP_SETTINGS } from './shop/shop-settings';

/**
 * With VWO_SDK_KEY and VWO_ACCOUNT_ID set, settings come from your VWO account (the embedded document is
 * the fallback while VWO is unreachable); without them the app runs offline on the embedded document.
 */
export function vwoOptions(env: NodeJS.ProcessEnv = process.env): VWOModuleOptions {
  const sdkKey = env.VWO_SDK_KEY;
  const accountId = env.VWO_ACCOUNT_ID;
  const logger = { level: env.VWO_LOG_LEVEL === 'DEBUG' ? 'DEBUG' : 'INFO' } as const;
  if (sdkKey && accountId) return { sdkKey, accountId, settings: SHOP_SETTINGS, logger };
  return { settings: SHOP_SETTINGS, logger };
}

@Module({
  imports: [VWOModule.forRoot(vwoOptions())],
  controllers: [CheckoutController, WishlistController],
})
export class AppModule {}
