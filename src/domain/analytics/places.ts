/**
 * Place names in a request: what tells two requests about "the same problem" apart from two about
 * the same problem in different places (并单 needs both). Pure pattern work: no gazetteer is shipped,
 * so a place is a run of Chinese characters ending in a place word (小区、路、村、学校…), after its
 * administrative prefix (市/区/县/镇) is cut off.
 */

const PLACE_SUFFIXES = [
  "小区",
  "花园",
  "花苑",
  "家园",
  "新城",
  "新村",
  "公寓",
  "大厦",
  "广场",
  "商场",
  "市场",
  "公园",
  "学院",
  "大学",
  "中学",
  "小学",
  "幼儿园",
  "医院",
  "卫生院",
  "车站",
  "码头",
  "大道",
  "大桥",
  "社区",
  "街道",
  "村",
  "镇",
  "乡",
  "路",
  "街",
  "巷",
  "苑",
  "园",
  "城",
] as const;

/** Districts and counties: 阳江's own, and the letter-coded ones of anonymised data sets (A市A5区). */
const DISTRICT_PATTERN = /(江城区|阳东区|阳西县|阳春市|海陵(?:区|岛)|高新区|[A-Z]\d*[市区县])/gu;

/** Characters that end a place name on their left: verbs, pronouns and particles around a place. */
const LEFT_BOUNDARY =
  /[在于到从是系的我你他她它们住近旁边对向和与及跟把被给这那个位该某省市区县面附反映投诉咨询关请问就还也都说有无没要想去来了着过为让由等]/u;
/** A place name is at most this many characters before its place words. */
const MAX_NAME_LENGTH = 6;

const SUFFIX_ALTERNATION = PLACE_SUFFIXES.join("|");
const SUFFIX_PATTERN = new RegExp(`(?:${SUFFIX_ALTERNATION})+(?:[一二三四五六七八九十\\d]+期)?`, "gu");
const NAME_CHARACTER = /[\p{Script=Han}A-Za-z0-9]/u;

/** Words that end in a place suffix without naming a place. */
const NOT_PLACES = new Set([
  "小区",
  "社区",
  "街道",
  "村",
  "镇",
  "路",
  "街",
  "公园",
  "城",
  "园",
  "市场",
  "马路",
  "道路",
  "出路",
  "思路",
  "线路",
  "网路",
  "电路",
  "进城",
  "农村",
  "全城",
  "满城",
  "县城",
  "城乡",
  "乡镇",
  "菜园",
  "家园",
  "校园",
  "花园",
  "乐园",
  "本村",
  "我村",
  "该村",
  "各村",
  "全村",
  "全镇",
  "该镇",
  "本镇",
  "在路",
  "上路",
  "马路上",
  "公路",
  "走路",
  "修路",
  "铁路",
  "门路",
  "小路",
  "大街",
  "上街",
  "逛街",
  "当街",
  "沿街",
  "临街",
  "水泥路",
  "柏油路",
  "小区门口",
  "居民小区",
  "老旧小区",
  "商品房小区",
  "安置小区",
]);

export interface PlaceMentions {
  /** 区/县 (letter-coded ones too); a city alone is not a place. */
  readonly districts: string[];
  /** Estates, roads, villages, schools…: what makes two requests about the same spot. */
  readonly places: string[];
}

/**
 * @example
 * extractPlaces("A市A5区魅力之城小区临街的餐饮店油烟很大");
 * // { districts: ["A5区"], places: ["魅力之城小区"] }
 */
export function extractPlaces(text: string): PlaceMentions {
  const districts = new Set<string>();
  for (const match of text.matchAll(DISTRICT_PATTERN)) {
    const district = match[1];
    if (district && !/^[A-Z]\d*市$/u.test(district)) districts.add(district);
  }
  // District names are cut out first so that "A5区魅力之城小区" yields the estate, not "A5区魅力之城".
  const withoutDistricts = text.replace(DISTRICT_PATTERN, "，");
  const places = new Set<string>();
  let previousEnd = 0;
  for (const match of withoutDistricts.matchAll(SUFFIX_PATTERN)) {
    // Walk left from the place words to the name's first character (a boundary, a non-name
    // character, the previous place, or MAX_NAME_LENGTH characters).
    let start = match.index;
    while (
      start > previousEnd &&
      match.index - start < MAX_NAME_LENGTH &&
      NAME_CHARACTER.test(withoutDistricts[start - 1] ?? "") &&
      !LEFT_BOUNDARY.test(withoutDistricts[start - 1] ?? "")
    ) {
      start -= 1;
    }
    previousEnd = match.index + match[0].length;
    const place = withoutDistricts.slice(start, previousEnd);
    if (place.length >= 3 && !NOT_PLACES.has(place)) places.add(place);
  }
  return { districts: [...districts], places: [...places] };
}

const TRAILING_SUFFIX = new RegExp(`(?:${SUFFIX_ALTERNATION})$`, "u");

/** A place without its place words: 魅力之城小区, 魅力之城 → 魅力之; never shorter than two characters. */
export function placeCore(place: string): string {
  let core = place.replace(/(?:[一二三四五六七八九十\d]+期)$/u, "");
  for (;;) {
    const stripped = core.replace(TRAILING_SUFFIX, "");
    if (stripped === core || stripped.length < 2) return core;
    core = stripped;
  }
}

/**
 * Whether two place cores name the same place: equal, or one inside the other (涉外经济学院 /
 * 经济学院, 绿地海外滩二期 / 海外滩) when the shorter has at least two characters.
 */
export function coresMatch(core: string, other: string): boolean {
  return (
    other === core ||
    (Math.min(other.length, core.length) >= 2 && (other.includes(core) || core.includes(other)))
  );
}

/** Places two requests share, as the left request names them. */
export function sharedPlaces(left: readonly string[], right: readonly string[]): string[] {
  const rightCores = right.map(placeCore);
  return left.filter((place) => {
    const core = placeCore(place);
    return rightCores.some((other) => coresMatch(core, other));
  });
}
