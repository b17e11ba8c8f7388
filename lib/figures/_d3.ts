/**
 * d3-array with its type declarations (the npm package ships none).
 *
 * @module
 */
// @ts-types="npm:@types/d3-array@3.2.1"
export { bin, extent, minIndex, quantileSorted, range } from "d3-array";
