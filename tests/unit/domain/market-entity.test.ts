import { describe, expect, it } from "vitest";
import {
  compileMarketEntity,
  judgeMarketEntity,
  marketEntityDecision,
} from "#domain/classifier/market-entity";
import { checkMarketEntity, type MarketEntityDefinition } from "#domain/knowledge/market-entity";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";

describe("business flag (市场主体) by definition: knowledge/market-entity.yaml", () => {
  const { bundle, issues } = loadKnowledge("knowledge");
  const definition = bundle.marketEntity as MarketEntityDefinition;
  const model = compileMarketEntity(definition);
  const flag = (text: string) => judgeMarketEntity(model, text).probability >= 0.5;

  it("is valid", () => {
    expect(issues.filter((issue) => issue.file === "market-entity.yaml")).toEqual([]);
    expect(checkMarketEntity(definition)).toEqual([]);
  });

  it.each([
    "我们公司想变更经营范围，要去哪里办变更登记",
    "我刚开了一间奶茶店，想申请一次性创业资助",
    "我是个体户，季度申报增值税时提示逾期未申报",
    "我们厂想申请技术改造补助，今年几时开始申报",
    "想办个体工商户营业执照要带什么资料",
  ])("an enterprise or 个体工商户 about its own operations is a business request: %s", (text) => {
    expect(flag(text)).toBe(true);
  });

  it.each([
    "在超市买到过期牛奶，商家不肯退",
    "我在一间五金厂上班，老板拖欠我三个月工资",
    "我们厂一个月只放两天假，老板话等货款到先发工资",
    "楼下饭店油烟直排，熏得我们家不能开窗",
    "我们反映了好多次附近工厂废气扰民，一直没人管",
    "社保卡丢了怎么补办",
  ])("a consumer, employee, neighbour or citizen is not: %s", (text) => {
    expect(flag(text)).toBe(false);
  });

  it("the definition's own examples agree with it", () => {
    for (const text of definition.examples.business) expect(flag(text), text).toBe(true);
    for (const text of definition.examples.notBusiness) expect(flag(text), text).toBe(false);
  });

  it("reasons name the subject and matter, or the boundary that ruled it out", () => {
    expect(judgeMarketEntity(model, "我们公司想办排污许可").reasons.join("；")).toMatch(
      /经营者身份「我们公司」/,
    );
    expect(judgeMarketEntity(model, "在超市买到过期牛奶，商家不肯退").reasons.join("；")).toContain(
      "消费者投诉商家",
    );
    expect(judgeMarketEntity(model, "社保卡丢了", "business").probability).toBeGreaterThanOrEqual(0.9);
  });

  it("the definition settles clear cases; the fused head decides the rest", () => {
    const business = judgeMarketEntity(model, "我们公司想办排污许可证");
    const consumer = judgeMarketEntity(model, "在超市买到过期牛奶，商家不肯退");
    const open = judgeMarketEntity(model, "想问下营业执照点样办");
    expect([business.decisive, consumer.decisive, open.decisive]).toEqual(["business", "not", null]);
    // A learned head that disagrees does not overrule the definition…
    expect(marketEntityDecision(0.2, business)).toBe(true);
    expect(marketEntityDecision(0.8, consumer)).toBe(false);
    // …but decides when the definition does not settle it.
    expect(marketEntityDecision(0.7, open)).toBe(true);
    expect(marketEntityDecision(0.3, open)).toBe(false);
    // An employee's complaint about "our company" is not settled as a business request.
    expect(judgeMarketEntity(model, "我们公司老板拖欠我三个月工资").decisive).not.toBe("business");
  });
});
