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
    "我在镇上开了间五金铺，想问办营业执照要什么资料",
    "我喺市场租咗个档口卖海味，想问申请食品经营许可点办",
    "我是做烧腊生意的，想装台生产用电的大功率冷柜，报装找谁",
    "来电人系江城区一间汽修店经营者，咨询排污许可办理",
    "我在夜市摆摊卖炒粉，想办个体工商户营业执照",
    "我们酒楼想申请稳岗补贴，要什么材料",
  ])("a business owner in everyday words is a business request: %s", (text) => {
    expect(judgeMarketEntity(model, text).decisive).toBe("business");
  });

  it.each([
    "我们是一间物流公司的员工，公司两个月没发工资",
    "街口那些摆摊的占了人行道，城管来了就跑",
    "建议停水前多发通知，很多做生意的街坊都没准备",
  ])("staff, street stalls seen by a passer-by, or a neighbourhood remark are not: %s", (text) => {
    expect(judgeMarketEntity(model, text).decisive).not.toBe("business");
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
