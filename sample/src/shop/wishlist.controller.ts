import { Controller, Get } from '@nestjs/common';
import { FeatureFlag, FlagVariable } from '../../../lib';

/** A wishlist in beta for half of the users (a 50% rollout): the whole controller is hidden from the others. */
@Controller('wishlist')
@FeatureFlag('wishlist')
export class WishlistController {
  @Get()
  list(@FlagVariable('wishlist', 'maxItems', 10) maxItems: number): { items: string[]; maxItems: number } {
    return { items: [], maxItems };
  }
}
