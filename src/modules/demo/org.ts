import type { AppContext } from '../../platform/context.js';
import { demoPlaces, generateDemoDistrict } from '../org/demo.js';
import { seconds } from './elapsed.js';
import { seededRandom } from './random.js';

export const demoDistrictCode = '150602';

export interface DemoPlace {
  id: string;
  code: string;
  name: string;
  kind: string;
  path: string;
  parentId: string | null;
}

export interface DemoOrg {
  districtId: string;
  districtPath: string;
  places: DemoPlace[];
}

/**
 * The demo's place: 内蒙古自治区 → 鄂尔多斯市 → 东胜区 with its real 16 streets and 109 communities
 * (GB/T 2260), 684 basic and 125 exclusive grids (as the Dongsheng report counts them) tiled in a
 * box around 109.9°E 39.8°N, buildings in every grid, and the district's departments.
 */
export async function seedDemoOrg(ctx: AppContext, log: (msg: string) => void): Promise<DemoOrg> {
  const started = Date.now();
  const result = await ctx.db.transaction((tx) =>
    generateDemoDistrict(tx, {
      districtCode: demoDistrictCode,
      box: { minLng: 109.82, minLat: 39.72, maxLng: 110.08, maxLat: 39.9 },
      basicGrids: 684,
      exclusiveGrids: 125,
      buildingsPerGrid: 4,
      random: seededRandom(150602),
    }),
  );
  log(
    `东胜区：${result.communities} 个社区（嘎查村），新建 ${result.grids} 个网格、${result.buildings} 栋楼，${seconds(started)} 秒`,
  );
  return {
    districtId: result.district.id,
    districtPath: result.district.path,
    places: await demoPlaces(ctx.db, demoDistrictCode),
  };
}
