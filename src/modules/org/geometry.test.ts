import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointInPolygon, polygonProblem, polygonsOverlap, polygonWithin, rectangle } from './geometry.js';
import type { GeoPolygon } from './schema.js';

const square = rectangle(0, 0, 10, 10);

describe('geometry', () => {
  it('tells points inside, outside and in holes apart', () => {
    expect(pointInPolygon(5, 5, square)).toBe(true);
    expect(pointInPolygon(11, 5, square)).toBe(false);
    const withHole: GeoPolygon = {
      type: 'Polygon',
      coordinates: [square.coordinates[0], rectangle(4, 4, 6, 6).coordinates[0]],
    };
    expect(pointInPolygon(5, 5, withHole)).toBe(false);
    expect(pointInPolygon(2, 2, withHole)).toBe(true);
  });

  it('any point of a rectangle’s interior is inside it', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 9.999, noNaN: true }),
        fc.double({ min: 0.001, max: 9.999, noNaN: true }),
        (x, y) => pointInPolygon(x, y, square),
      ),
    );
  });

  it('refuses open rings, too few vertices and self-intersections, in Chinese', () => {
    expect(polygonProblem(square)).toBeNull();
    expect(
      polygonProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      }),
    ).toContain('闭合');
    expect(
      polygonProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ],
      }),
    ).toContain('3');
    const bowtie: GeoPolygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [10, 10],
          [10, 0],
          [0, 10],
          [0, 0],
        ],
      ],
    };
    expect(polygonProblem(bowtie)).toContain('自相交');
    expect(
      polygonProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [200, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      }),
    ).toContain('范围');
  });

  it('knows containment and overlap, and that shared edges are not overlap', () => {
    expect(polygonWithin(rectangle(1, 1, 5, 5), square)).toBe(true);
    expect(polygonWithin(rectangle(0, 0, 5, 10), square)).toBe(true);
    expect(polygonWithin(rectangle(5, 5, 15, 8), square)).toBe(false);
    expect(polygonsOverlap(rectangle(0, 0, 5, 10), rectangle(5, 0, 10, 10))).toBe(false);
    expect(polygonsOverlap(rectangle(0, 0, 6, 10), rectangle(5, 0, 10, 10))).toBe(true);
    expect(polygonsOverlap(rectangle(2, 2, 3, 3), square)).toBe(true);
  });
});
