import { Module } from '@nestjs/common';
import { VWOModule, VWOModuleOptions, VWORedisStorage } from '../../lib';
import { CheckoutController } from './shop/checkout.controller';
import { WishlistController } from './shop/wishlist.controller';
import { SHOP_SETTINGS } from './shop/shop-settings';

/**
 * With VWO_SDK_KEY and VWO_ACCOUNT_ID set, settings come from your VWO account (the embedded document is
 * the fallback while VWO is unreachable); without them the app runs offline on the embedded document.
 * Online, a fleet adds VWO_REDIS_URL (sticky decisions and settings shared by every replica) and
 * VWO_WEBHOOK_SECRET (POST /vwo/webhook, called by VWO on every change, refreshes every replica).
 */
export function vwoOptions(env: NodeJS.ProcessEnv = process.env): VWOModuleOptions {
  const sdkKey = env.VWO_SDK_KEY;
  const accountId = env.VWO_ACCOUNT_ID;
  const logger = { level: env.VWO_LOG_LEVEL === 'DEBUG' ? 'DEBUG' : 'INFO' } as const;
  if (!sdkKey || !accountId) return { settings: SHOP_SETTINGS, logger };
  return {
    sdkKey,
    accountId,
    settings: SHOP_SETTINGS,
    logger,
    ...(env.VWO_REDIS_URL ? { storage: new VWORedisStorage({ url: env.VWO_REDIS_URL, accountId }) } : {}),
    ...(env.VWO_WEBHOOK_SECRET ? { webhook: { path: '/vwo/webhook', secret: env.VWO_WEBHOOK_SECRET } } : {}),
  };
}

@Module({
  imports: [VWOModule.forRoot(vwoOptions())],
  controllers: [CheckoutController, WishlistController],
})
export class AppModule {}
