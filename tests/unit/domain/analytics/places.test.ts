import { describe, expect, it } from "vitest";
import { extractPlaces, placeCore, sharedPlaces } from "#domain/analytics/places";

describe("extractPlaces", () => {
  it.each([
    ["A市A5区魅力之城小区临街的餐饮店油烟很大", ["A5区"], ["魅力之城小区"]],
    ["座落在A市A3区联丰路米兰春天G2栋320", ["A3区"], ["联丰路"]],
    ["本人系春华镇金鼎村七里组村民", [], ["春华镇", "金鼎村", "七里组村"]],
    ["我住在江城区南恩街道，楼上半夜跺脚", ["江城区"], ["南恩街道"]],
    ["丽发新城小区旁边的搅拌站每天晚上施工", [], ["丽发新城小区"]],
  ])("%s", (text, districts, places) => {
    expect(extractPlaces(text)).toEqual({ districts, places });
  });

  it("does not take generic words or a city for a place", () => {
    expect(extractPlaces("A市的马路上到处是坑，小区门口也是，农村更差")).toEqual({
      districts: [],
      places: [],
    });
  });
});

describe("sharedPlaces", () => {
  it("matches a place with or without its place words", () => {
    expect(placeCore("魅力之城小区")).toBe(placeCore("魅力之城"));
    expect(sharedPlaces(["魅力之城小区", "联丰路"], ["魅力之城"])).toEqual(["魅力之城小区"]);
  });

  it("does not match different estates", () => {
    expect(sharedPlaces(["魅力之城小区"], ["丽发新城小区"])).toEqual([]);
  });
});
