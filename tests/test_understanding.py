"""Understanding as workers write: answer kinds, region specificity, places outside the
knowledge base, near-misses, two questions in one message, and the thread of a conversation."""

from __future__ import annotations

import datetime as dt

import pytest

from intents import Matcher
from intents.conversation import State, turn
from intents.evaluate import evaluate
from intents.reply import reply_text

TODAY = dt.date(2026, 11, 23)


def test_a_district_with_its_own_cash_measures_comes_first_with_all_its_amounts(matcher: Matcher) -> None:
    result = matcher.match("红包多少", "安徽省安庆市迎江区")
    assert result.kind == "measure"
    assert {e.id for e in result.entries[:2]} == {"anqing-yingjiang-subsidy-2000", "anqing-yingjiang-enterprise-500"}
    answer = reply_text(result, matcher.gazetteer, TODAY)
    assert "2000元" in answer and "500元" in answer


def test_without_a_region_a_national_rule_answers_and_a_local_topic_asks_where(matcher: Matcher) -> None:
    wages = matcher.match("过年加班工资怎么算")
    assert (wages.kind, wages.region) == ("measure", "全国")
    data = matcher.match("免费流量哪里领")
    assert (data.kind, data.entry, data.intent) == ("ask_region", None, "data_bundle")
    assert "安徽省安庆市" in data.region_options
    assert "你在哪个城市" in reply_text(data, matcher.gazetteer, TODAY)


@pytest.mark.parametrize("text", ["在宜昌打工过年有红包吗", "宜宾这边有红包不", "南京鼓楼区过年有红包吗"])
def test_a_place_the_knowledge_base_does_not_cover_gets_no_other_citys_measures(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.kind == "no_local" and result.entry is None
    assert "12345" in reply_text(result, matcher.gazetteer, TODAY)


def test_a_place_outside_gets_the_national_rule_that_applies(matcher: Matcher) -> None:
    result = matcher.match("在宜昌打工，过年加班工资几倍")
    assert (result.region, result.entry.region) == ("湖北省宜昌市", "全国")


def test_a_general_question_gets_an_overview_of_the_regions_measures(matcher: Matcher) -> None:
    result = matcher.match("留下来有啥好处", "安徽省安庆市迎江区")
    assert result.kind == "overview"
    assert [e.region for e in result.entries[:2]] == ["安徽省安庆市迎江区"] * 2
    answer = reply_text(result, matcher.gazetteer, TODAY)
    assert answer.index("2027年") < answer.index("每人2000元")      # the season first, then the amounts


def test_what_one_can_get_asked_with_a_greeting_is_a_general_question(matcher: Matcher) -> None:
    result = matcher.match("你好 过年不回家了 能领点啥", "湖南省长沙市芙蓉区")
    assert result.kind == "overview" and "furong-red-600" in [e.id for e in result.entries]


@pytest.mark.parametrize("text", ["留在长沙过年 政府都有些啥安排", "过年留下来有哪些扶持"])
def test_what_arrangements_there_are_is_a_general_question(matcher: Matcher, text: str) -> None:
    result = matcher.match(text, "湖南省长沙市芙蓉区")
    assert (result.kind, result.entries[0].id) == ("overview", "furong-red-600")


@pytest.mark.parametrize("text", ["流量密码是啥意思", "流量卡哪家便宜", "体检前一天能喝酒吗", "春联横批写什么好",
                                  "加班太累腰疼怎么办", "社保卡丢了怎么补", "微信红包怎么抢得多", "年夜饭吃饺子还是汤圆",
                                  "社保卡在外地怎么激活", "坐公交能开发票吗", "年货哪个网站便宜", "县城补习班哪家好"])
def test_near_misses_are_refused(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "安徽省安庆市").intent == "out_of_scope"


@pytest.mark.parametrize(("text", "intent"), [("潜山送的免费流量怎么开通", "data_bundle"),
                                              ("孩子寒假作业没人辅导 有人帮忙吗", "family_care"),
                                              ("在养老院当护工回不去 听说有个啥奖补", "red_packet")])
def test_words_near_the_near_misses_still_ask_for_a_measure(matcher: Matcher, text: str, intent: str) -> None:
    assert matcher.match(text, "安徽省安庆市").intent == intent


def test_an_out_of_scope_question_with_a_right_place_to_ask_points_there(matcher: Matcher) -> None:
    result = matcher.match("社保卡丢了怎么补")
    assert "12333" in reply_text(result, matcher.gazetteer, TODAY)


def test_two_questions_in_one_message_answer_the_first_and_offer_the_second(matcher: Matcher) -> None:
    result = matcher.match("过年加班费怎么算？另外免费体检在哪做", "安徽省安庆市")
    assert result.intent == "wage_rights"
    assert [e.intent for e in result.also] == ["health_check"]


def test_a_conversation_keeps_its_topic_region_and_aspect(matcher: Matcher) -> None:
    state = State()
    steps = [("免费流量哪里领", "ask_region", None), ("我在安庆", "measure", "安徽省安庆市"),
             ("电话多少", "followup", "安徽省安庆市"), ("那桐城呢", "followup", "安徽省安庆市桐城市"),
             ("需要准备啥证件", "followup", "安徽省安庆市桐城市")]
    seen = []
    for text, kind, region in steps:
        result, state = turn(matcher, state, text, None)
        seen.append((result.kind, result.intent, result.region))
        assert (result.kind, result.region) == (kind, region), text
    assert {intent for _, intent, _ in seen} == {"data_bundle"}
    answer = reply_text(result, matcher.gazetteer, TODAY)
    assert answer.startswith("【") and "要带的材料" in answer


def test_a_new_topic_mid_conversation_is_not_taken_for_a_follow_up(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "安庆免费流量怎么领", None)
    result, _ = turn(matcher, state, "那年夜饭呢", None)
    assert result.intent == "new_year_meal"


def test_eval_scores_conversations_turn_by_turn(matcher: Matcher) -> None:
    convo = {"id": "t1", "region": None, "turns": [
        {"text": "安庆免费流量怎么领", "intent": "data_bundle", "expect_region": "安徽省安庆市", "facts": ["10GB"]},
        {"text": "电话多少", "intent": "data_bundle", "expect_region": "安徽省安庆市"},
        {"text": "今天天气怎么样", "intent": "out_of_scope"}]}
    report = evaluate(matcher, [convo], TODAY)
    assert (report.turns, report.turns_correct, report.conversations_correct) == (3, 3, 1)


@pytest.mark.parametrize("follow", ["需要准备啥证件", "截止到哪天", "收费吗", "打哪个号码", "在哪办", "老婆孩子能一起去吗",
                                    "单位还另外补吗", "网址是啥", "那桐城呢", "要带身份证吗", "能代领吗", "还有名额吗"])
def test_short_follow_ups_keep_the_topic(matcher: Matcher, follow: str) -> None:
    first, state = turn(matcher, State(), "留岗补贴怎么领", "安徽省安庆市迎江区")
    result, _ = turn(matcher, state, follow, "安徽省安庆市迎江区")
    assert (result.kind, result.intent) == ("followup", first.intent)


def test_a_follow_up_where_there_is_no_such_measure_says_so_again(matcher: Matcher) -> None:
    first, state = turn(matcher, State(), "找工作有招聘会吗", "云南省曲靖市麒麟区")
    assert first.kind == "no_local"
    result, _ = turn(matcher, state, "打哪个号码", "云南省曲靖市麒麟区")
    assert (result.kind, result.intent) == ("no_local", "jobs")


def test_an_advice_question_that_also_asks_for_a_measure_is_answered(matcher: Matcher) -> None:
    assert matcher.match("年夜饭哪家好，有没有免费的", "湖南省长沙市芙蓉区").intent == "new_year_meal"


@pytest.mark.parametrize(("text", "expected"), [
    ("欠薪能报警不 老板把我电话都拉黑了", "legal_aid"),        # 报警 weighs as much as 欠薪; the model is sure
    ("领失业金那段时间 医保谁交", "unemployment"),
    ("体检前一天能喝酒吗", "out_of_scope"),                     # the model is not sure: 喝酒 wins
    ("社保卡丢了怎么补", "out_of_scope"),
])
def test_a_tie_between_out_of_scope_and_topic_words_goes_to_what_the_model_is_sure_of(
        matcher: Matcher, text: str, expected: str) -> None:
    assert matcher.match(text, None).intent == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("姐妹们都在说留宜秀过年有钱拿😍 真的假的 多少💰", "red_packet"),   # whether it is true, and how much
    ("博物馆里的文物是真的吗", "out_of_scope"),                          # whether it is true, nothing more
])
def test_asking_whether_a_measure_is_true_is_answered_when_it_asks_a_part_too(
        matcher: Matcher, text: str, expected: str) -> None:
    assert matcher.match(text, None).intent == expected


@pytest.mark.parametrize(("first", "switch", "expected"), [
    ("过年加班工资怎么算", "我在安庆", "national-overtime-statutory-holiday"),   # a right that holds there too
    ("安庆过年有招聘会吗", "桐城有没有", "anqing-tongcheng-douyin-job-fair"),       # the new place's own measure
])
def test_a_region_switch_keeps_a_standing_right_and_finds_the_new_places_own_measure(
        matcher: Matcher, first: str, switch: str, expected: str) -> None:
    _, state = turn(matcher, State(), first, None)
    result, _ = turn(matcher, state, switch, None)
    assert (result.kind, result.entry.id) == ("followup", expected)


def _after(matcher: Matcher, first: str, then: str, region: str | None) -> tuple:
    _, state = turn(matcher, State(), first, region)
    return turn(matcher, state, then, region)


def _last(matcher: Matcher, texts: list[str], region: str | None):
    """The answer to the last of a conversation's turns."""
    state = State()
    for text in texts:
        result, state = turn(matcher, state, text, region)
    return result


@pytest.mark.parametrize(("first", "then", "expected"), [
    ("留沪有没有话费补贴", "那交通费呢", "shanghai-transport-subsidy"),        # named in the other measure's title
    ("潜山送流量是真的吗", "电信的也有吗", "anqing-telecom-10gb"),             # of the names, the one on the topic
])
def test_a_short_turn_that_names_another_measure_answers_that_measure(
        matcher: Matcher, first: str, then: str, expected: str) -> None:
    result, _ = _after(matcher, first, then, None)
    assert (result.kind, result.entry.id) == ("measure", expected)


def test_the_previous_measures_own_words_do_not_start_a_new_topic(matcher: Matcher) -> None:
    result, _ = _after(matcher, "听说大观有一千块补贴", "我老家不是中高风险的能拿不", "安徽省安庆市大观区")
    assert (result.kind, result.entry.id) == ("followup", "anqing-daguan-subsidy-1000")


def test_a_place_inside_another_word_or_a_friends_home_is_not_where_the_worker_is(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "家里老人在晋安有人去看吗", "福建省福州市晋安区")
    oos, state = turn(matcher, state, "老人血压高平时吃啥好", "福建省福州市晋安区")     # 高平 is a city in Shanxi
    assert (oos.kind, state.region) == ("out_of_scope", "福建省福州市晋安区")
    result, _ = turn(matcher, state, "那上门看望要跟谁说", "福建省福州市晋安区")
    assert (result.kind, result.intent, result.aspect) == ("followup", "family_care", "contact")
    friend, _ = _after(matcher, "房子到期了，过年没地住", "那我朋友贵州的，找谁申请", "湖南省长沙市芙蓉区")
    assert (friend.kind, friend.region) == ("followup", "湖南省长沙市芙蓉区")


def test_a_comparison_mid_conversation_is_a_question_of_taste(matcher: Matcher) -> None:
    result, state = _after(matcher, "过年有免费住的地方吗", "民宿和酒店哪个住着舒服", "福建省福州市晋安区")
    assert result.kind == "out_of_scope"
    back, _ = turn(matcher, state, "刚才那个免费住的找谁申请", "福建省福州市晋安区")
    assert back.intent == "accommodation"


def test_a_turn_that_could_be_two_topics_stays_on_the_conversations(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "刚被辞了，失业金能领吗", "福建省福州市晋安区")
    result, _ = turn(matcher, state, "农民工是不是还有个一次性补助", "福建省福州市晋安区")
    assert (result.intent, result.entry.id) == ("unemployment", "jinan-migrant-one-off-allowance")


@pytest.mark.parametrize(("follow", "aspect"), [
    ("要钱不", "cost"), ("去哪申请", "place"), ("找哪个部门", "contact"), ("几号截止", "validity"),
    ("娃能一起去不", "family"), ("我是外省的能领吗", "eligibility"), ("要准备些啥东西", "materials"),
    ("要交报名费不", "cost"), ("要不要提前约", "how_to_claim"), ("好多钱嘛", "amount"),
    ("真嘞一分钱都不收？抽血也不要钱嗦？", "cost")])
def test_a_follow_up_built_in_its_own_words_asks_its_aspect(matcher: Matcher, follow: str, aspect: str) -> None:
    result, _ = _after(matcher, "芙蓉区年夜饭在哪吃", follow, None)
    assert (result.kind, result.intent, result.aspect) == ("followup", "new_year_meal", aspect)


def test_a_turn_in_the_words_of_the_measures_name_continues_it(matcher: Matcher) -> None:
    result, _ = _after(matcher, "想学个手艺", "有补贴吗", "湖南省长沙市芙蓉区")
    assert (result.kind, result.entry.id) == ("followup", "furong-skills-training")


def test_the_question_that_opened_a_topic_is_kept_for_a_later_region_switch(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "迎江区留岗补贴发多少钱", None)
    _, state = turn(matcher, state, "找谁领", None)
    result, state = turn(matcher, state, "那桐城呢", None)
    assert state.question == "迎江区留岗补贴发多少钱"
    assert (result.kind, result.entry.id) == ("followup", "anqing-tongcheng-subsidy-1000")


def test_after_saying_there_is_nothing_here_a_follow_up_stays_on_that_topic(matcher: Matcher) -> None:
    result, _ = _after(matcher, "学技术有补贴吗", "多少钱", "云南省曲靖市麒麟区")
    assert (result.kind, result.intent) == ("no_local", "training")


def test_a_region_switch_asking_for_a_place_of_its_own_keeps_the_topic(matcher: Matcher) -> None:
    result, _ = _after(matcher, "老板跑路了工资没给", "桐城那边有没有专门的", "安徽省安庆市")
    assert (result.kind, result.intent, result.region) == ("followup", "legal_aid", "安徽省安庆市桐城市")


@pytest.mark.parametrize(("region", "first", "then", "expected"), [
    # fits the other measure much better
    ("云南省曲靖市麒麟区", "过年菜市场会不会关门", "小卖部开几个钟头", "qilin-shops-8-hours"),
    # 失业金 is 失业保险金; asked for another, the next is 失业补助金 (for those who cannot get it).
    ("福建省福州市晋安区", "刚被辞了，失业金能领吗", "要是领不了 还有别的补助不", "jinan-unemployment-subsidy"),
    # 经济困难审查 is a legal-aid word only the waiver's card says: it names that card.
    ("安徽省安庆市", "老板欠了3个月工资 听说安庆有个农民工窗口当天就派律师", "要不要证明我家里穷",
     "anqing-legal-aid-means-test-waiver"),
])
def test_a_follow_up_can_move_to_another_measure_of_the_same_topic(
        matcher: Matcher, region: str, first: str, then: str, expected: str) -> None:
    first_result, _ = turn(matcher, State(), first, region)
    result, _ = _after(matcher, first, then, region)
    assert result.intent == first_result.intent and result.entry.id != first_result.entry.id
    assert result.entry.id == expected


def test_a_question_about_the_workers_case_continues_but_chit_chat_does_not(matcher: Matcher) -> None:
    region = "福建省福州市晋安区"
    case, _ = _after(matcher, "厂里年前把我裁了 失业金能领不", "我交社保才半年 能领吗", region)
    assert (case.kind, case.intent) == ("followup", "unemployment")
    chat, _ = _after(matcher, "厂里年前把我裁了 失业金能领不", "今天晚上吃什么好呢", region)
    assert chat.kind == "out_of_scope"


@pytest.mark.parametrize("text", ["老板欠我三个月工资 快过年了还不给 咋办", "上个月工资到现在还没发", "工钱拖着不给 找谁"])
def test_wages_owed_said_any_way_are_unpaid_wages(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "安徽省安庆市").intent == "legal_aid"


def test_follow_ups_in_cantonese_about_the_workers_household_registration_continue(matcher: Matcher) -> None:
    region = "安徽省安庆市迎江区"
    _, state = turn(matcher, State(), "系唔系有2000蚊补贴", region)
    result, state = turn(matcher, state, "我系广东人 户口唔喺安庆 得唔得", region)
    assert (result.kind, result.entry.id) == ("followup", "anqing-yingjiang-subsidy-2000")
    more, _ = turn(matcher, state, "仲有冇其他钱攞", region)
    assert (more.intent, more.entry.id) == ("red_packet", "anqing-yingjiang-enterprise-500")


def test_an_amount_names_its_measure_and_an_identity_card_is_something_to_bring(matcher: Matcher) -> None:
    picked, _ = _after(matcher, "迎江这边过年有啥福利", "2000那个 我在厂里干了不到半年 能领吗", "安徽省安庆市迎江区")
    assert picked.entry.id == "anqing-yingjiang-subsidy-2000"
    _, state = turn(matcher, State(), "芙蓉区有free体检吗", None)
    _, state = turn(matcher, state, "那过年超市开门吗", None)
    back, _ = turn(matcher, state, "刚才那个体检 要带身份证不", None)
    assert (back.intent, back.aspect) == ("health_check", "materials")


def test_thanks_and_wishes_are_a_greeting_but_not_receiving_something_is_not(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "迎江区留岗补贴发多少钱", None)
    assert turn(matcher, state, "谢谢 过年快乐🧧", None)[0].kind == "greeting"
    assert turn(matcher, state, "我咋没收到", None)[0].kind != "greeting"


def test_i_and_a_province_with_de_is_where_the_worker_comes_from(matcher: Matcher) -> None:
    result = matcher.match("我安徽的 在上海嘉定干活 包工头跑了 工钱找谁要")
    assert (result.intent, result.region_in_text) == ("legal_aid", "上海市嘉定区")


def test_a_statement_in_the_previous_measures_words_continues_it(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "留下过年送流量吗", None)
    first, state = turn(matcher, state, "芙蓉区隆平园上班", None)
    assert (first.kind, first.entry.id) == ("measure", "furong-data-20g")
    result, _ = turn(matcher, state, "我是外省的 在隆平园规上企业", None)
    assert (result.kind, result.entry.id) == ("followup", "furong-data-20g")


def test_care_for_the_family_left_at_home_is_the_home_places_measure(matcher: Matcher) -> None:
    result, state = turn(matcher, State(), "我娃在怀宁平山镇老家 我在外地过年回不去 那边有人照看不", None)
    assert (result.intent, result.region) == ("family_care", "安徽省安庆市怀宁县")
    work = matcher.match("老家怀宁的，在迎江上班，过年有红包吗")
    assert work.region == "安徽省安庆市迎江区"             # a home place is still not where the worker is


def test_after_a_question_about_the_family_at_home_the_worker_is_still_where_they_work(matcher: Matcher) -> None:
    first, state = turn(matcher, State(), "我娃在怀宁老家，有人照看不", "上海市")
    assert (first.entry.region, first.entry.intent, state.region) == ("安徽省安庆市怀宁县", "family_care", None)
    result, state = turn(matcher, state, "咋申请", "上海市")
    assert (result.kind, result.entry.id) == ("followup", first.entry.id)
    result, _ = turn(matcher, state, "加班费咋算", "上海市")
    assert (result.entry.id, result.region) == ("shanghai-overtime-pay", "上海市")


def test_a_follow_up_moves_to_the_measure_whose_text_holds_its_words(matcher: Matcher) -> None:
    region = "福建省福州市晋安区"
    first, state = turn(matcher, State(), "过年上哪嘎哈去啊 有没有不要钱能玩的地方", region)
    result, _ = turn(matcher, state, "电影院开不开 看电影打折不", region)
    assert (first.entry.id, result.entry.id) == ("jinan-venues-free-open", "jinan-cinema-bookstore-deals")


def test_the_place_one_does_not_go_back_to_is_a_home(matcher: Matcher) -> None:
    result = matcher.match("我在厂里，今年不回四川了，过年期间厂里让上班，工资咋算", "安徽省安庆市")
    assert (result.intent, result.region) == ("wage_rights", "安徽省安庆市")
    assert matcher.match("客运站有车回北峰吗").region == "福建省福州市晋安区"      # a bus back there is no home


def test_a_region_switch_is_ranked_by_the_words_that_opened_the_topic(matcher: Matcher) -> None:
    result, _ = _after(matcher, "上海过年加班几倍", "福州那边一样吗", None)
    assert (result.kind, result.entry.id) == ("followup", "national-overtime-statutory-holiday")


def test_needing_an_appointment_is_a_follow_up_not_a_topic(matcher: Matcher) -> None:
    result, _ = _after(matcher, "芙蓉区有免费体检吗", "要预约吗", None)
    assert (result.kind, result.intent, result.aspect) == ("followup", "health_check", "how_to_claim")


def test_the_measure_whose_text_holds_the_question_answers_it(matcher: Matcher) -> None:
    result = matcher.match("俺在宜秀工业园，厂里说政府鼓励给外地人发过节红包，让俺问问到底是多少，别厂都发了。")
    assert result.entry.id == "anqing-yixiu-company-red-packet"
    assert "500-1000元" in reply_text(result, matcher.gazetteer, TODAY)


def test_a_keyword_of_the_topics_other_measure_moves_the_follow_up_there(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "芙蓉区过年加班 jbf咋算", None)
    _, state = turn(matcher, state, "社区的值班有补助木", None)
    result, _ = turn(matcher, state, "节后能调休ma", None)
    assert (result.intent, result.entry.id) == ("wage_rights", "furong-staggered-holiday")


def test_a_statement_mid_conversation_that_is_not_chit_chat_keeps_the_thread(matcher: Matcher) -> None:
    result, _ = _after(matcher, "厂里年前把我裁了 失业金能领不", "我是农民工 听说有个一次性的", "福建省福州市晋安区")
    assert (result.kind, result.intent) == ("followup", "unemployment")


def test_where_to_claim_asked_as_here_or_back_home_is_the_same_measure(matcher: Matcher) -> None:
    result, _ = _after(matcher, "厂子黄了 我交了三年社保 能领失业金不", "我人在苏州 是在苏州办还是得回老家办", None)
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "national-unemployment-insurance", "place")


@pytest.mark.parametrize(("follow", "aspect"), [("怎么令", "how_to_claim"), ("要准备什么正件", "materials")])
def test_a_follow_up_typed_with_a_wrong_character_of_the_same_sound_asks_its_aspect(
        matcher: Matcher, follow: str, aspect: str) -> None:
    result, _ = _after(matcher, "芙蓉区年夜饭在哪吃", follow, None)
    assert (result.kind, result.intent, result.aspect) == ("followup", "new_year_meal", aspect)


def test_thanks_get_a_welcome_and_a_hello_gets_the_introduction(matcher: Matcher) -> None:
    thanks = reply_text(matcher.match("好的好的谢谢你啊"), matcher.gazetteer, TODAY)
    hello = reply_text(matcher.match("你好"), matcher.gazetteer, TODAY)
    assert thanks.startswith("不客气") and hello.startswith("你好！我是暖心助手")
    closing, _ = _after(matcher, "安庆免费流量怎么领", "那我先去问问厂里", "安徽省安庆市")
    assert reply_text(closing, matcher.gazetteer, TODAY).startswith("好的！还有想问的")
    for asked in ("你是真人吗", "你们是政府的吗"):        # what the assistant is, and where a person answers
        about = reply_text(matcher.match(asked), matcher.gazetteer, TODAY)
        assert about.startswith("我是暖心助手，一个自动回答的机器人，不是真人") and "12345" in about


def test_naming_the_city_one_is_saved_in_keeps_the_district(matcher: Matcher) -> None:
    result = matcher.match("过年留福州有补贴吗", "福建省福州市晋安区")
    assert result.region == "福建省福州市晋安区"
    assert matcher.match("过年留福州有补贴吗").region == "福建省福州市"
    assert matcher.match("过年留上海有补贴吗", "福建省福州市晋安区").region == "上海市"


def test_a_variant_of_a_topic_word_typed_in_pinyin_is_heard(matcher: Matcher) -> None:
    assert matcher.match("laoban qian gongzi zenme ban").intent == "legal_aid"      # 欠工资, a variant of 欠薪


def test_asking_for_another_where_there_is_none_says_so(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "留长沙过年有流量送不", "湖南省长沙市芙蓉区")
    result, _ = turn(matcher, state, "还有别的吗", "湖南省长沙市芙蓉区")
    assert (result.kind, result.entry.id, result.only_one) == ("followup", "furong-data-20g", True)
    assert "免费流量方面，长沙芙蓉区查到的就这一项" in reply_text(result, matcher.gazetteer, dt.date(2026, 11, 24))


@pytest.mark.parametrize("text", ["算了 谢了啊", "好吧 晓得了", "唔该晒", "好了我去忙了谢谢", "唉 先这样吧 谢谢你",
                                  "好的谢谢你啊妹子", "好的谢谢你小同志", "得嘞 谢谢老妹儿",
                                  "中", "中嘞 谢谢大兄弟", "好 谢谢你闺女", "巴适 谢了老哥", "好 晓得了 谢谢你啊伢"])
def test_closing_words_mid_conversation_are_a_greeting(matcher: Matcher, text: str) -> None:
    _, state = turn(matcher, State(), "芙蓉区免费体检在哪", None)
    result, _ = turn(matcher, state, text, None)
    assert result.intent == "greeting"


def test_thanks_to_the_bot_called_child_is_a_greeting_but_asking_for_the_child_is_not(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "我娃在怀宁老家 有人照看不", "安徽省安庆市怀宁县")
    assert turn(matcher, state, "好的好的 谢谢你啊孩子", "安徽省安庆市怀宁县")[0].intent == "greeting"
    assert turn(matcher, state, "谢谢 孩子呢", "安徽省安庆市怀宁县")[0].intent == "family_care"


@pytest.mark.parametrize("text", ["好了不说了 上班去了 拜拜", "干活去了 拜拜"])
def test_signing_off_with_a_weak_topic_word_in_passing_is_a_greeting(matcher: Matcher, text: str) -> None:
    _, state = turn(matcher, State(), "上海松江厂里食堂过年开不开 宿舍能住不", None)
    assert turn(matcher, state, text, None)[0].intent == "greeting"
    assert turn(matcher, state, "上班去了 拜拜 对了过年加班费怎么算", None)[0].intent == "wage_rights"


@pytest.mark.parametrize("case", ["俺老家河南周口，低风险，有份不", "我是临时工能领吗", "劳务派遣的有份不"])
def test_the_workers_case_asked_about_after_a_measure_stays_on_its_topic(matcher: Matcher, case: str) -> None:
    _, state = turn(matcher, State(), "留在安庆过年有红包吗", "安徽省安庆市")
    result, _ = turn(matcher, state, case, "安徽省安庆市")
    assert result.intent == "red_packet"


def test_a_hotlines_number_names_it(matcher: Matcher) -> None:
    assert matcher.match("12333是干啥的", "云南省曲靖市麒麟区").entry.id == "national-hotline-12333"
    assert matcher.match("12348能管啥", "云南省曲靖市麒麟区").entry.id == "national-legal-aid-12348"


def test_a_generic_word_the_previous_measure_holds_does_not_move_a_follow_up(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "过年OT费怎么算", "云南省曲靖市麒麟区")
    result, _ = turn(matcher, state, "boss不给咋办", "云南省曲靖市麒麟区")
    assert (result.kind, result.entry.id) == ("followup", "qilin-overtime-pay")


def test_a_topic_word_a_hotlines_card_mentions_in_passing_still_starts_its_topic(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "人社电话是多少", "云南省曲靖市麒麟区")
    assert state.topic == "national-hotline-12333"
    result, _ = turn(matcher, state, "上个月工资到现在还没发", "云南省曲靖市麒麟区")
    assert result.intent == "legal_aid"


def test_what_there_is_for_someone_elsewhere_is_an_overview_of_that_place(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "交通补贴多少钱", "上海市")
    result, _ = turn(matcher, state, "老婆在安庆 她能领啥", "上海市")
    assert (result.kind, result.region) == ("overview", "安徽省安庆市")


@pytest.mark.parametrize("text", ["体检前能喝酒不", "体检前能喝酒吗"])
def test_an_advice_question_is_read_as_rewritten_too(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "湖南省长沙市芙蓉区").intent == "out_of_scope"


def test_the_regions_own_card_restating_a_national_rule_answers_there(matcher: Matcher) -> None:
    result = matcher.match("我是在麒麟区做保安的 初一初二要值班 工资是不是要给三倍")
    assert result.entry.id == "qilin-overtime-pay"                   # 300%, and 麒麟区's office to ask
    assert matcher.match("大年初一上班给三倍吗").entry.id == "national-overtime-statutory-holiday"


def test_after_an_overview_a_follow_up_is_about_the_measure_that_fits_the_question_best(matcher: Matcher) -> None:
    region = "安徽省安庆市迎江区"
    first, state = turn(matcher, State(), "我在迎江这边上班过年不回去了听说有啥子补贴是好多钱", region)
    assert first.kind == "overview" and first.entries[0].id == "anqing-yingjiang-subsidy-2000"
    claim, state = turn(matcher, state, "然后就是咋个领嘛", region)
    assert (claim.kind, claim.entry.id) == ("followup", "anqing-yingjiang-subsidy-2000")
    other, _ = turn(matcher, state, "企业还有个500的是啥子", region)
    assert other.entry.id == "anqing-yingjiang-enterprise-500"
    assert "500元/人" in reply_text(other, matcher.gazetteer, TODAY)


@pytest.mark.parametrize("text", ["喂你好在吗", "好额谢谢侬", "行谢了老铁", "中知道了", "太感谢了", "okk 谢啦😘",
                                  "太谢谢你了 好人一生平安"])
def test_thanks_said_with_particles_and_forms_of_address_end_the_thread_politely(matcher: Matcher, text: str) -> None:
    _, state = turn(matcher, State(), "晋安年夜饭怎么报名", None)
    result, _ = turn(matcher, state, text, None)
    assert result.kind == "greeting"


def test_a_greeting_beside_a_question_does_not_hide_the_question(matcher: Matcher) -> None:
    assert matcher.match("谢谢老铁 芙蓉区流量咋领").intent == "data_bundle"


@pytest.mark.parametrize("text", ["过年有没有免费年夜饭", "过年有莫得免费年夜饭哦"])
def test_without_a_region_generic_words_name_no_places_measure(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert (result.kind, result.entry) == ("ask_region", None)
    assert {"湖南省长沙市芙蓉区", "福建省福州市晋安区"} <= set(result.region_options)


@pytest.mark.parametrize(("text", "entry"), [("饿了么年夜饭有优惠吗", "jinan-eleme-new-year-meal"),
                                             ("万份年夜饭怎么领", "furong-new-year-meal-delivery"),
                                             ("以工代训延长到啥时候", "anqing-hrss-yigongdaixun-extended")])
def test_without_a_region_a_word_only_one_place_uses_names_its_measure(matcher: Matcher, text: str, entry: str) -> None:
    assert matcher.match(text).entry.id == entry


def test_the_boss_withholding_what_was_just_answered_asks_whom_to_turn_to_about_it(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "过年加班工资几倍", None)
    result, _ = turn(matcher, state, "老板就是不给去哪投诉", None)
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "national-overtime-statutory-holiday", "contact")
    assert reply_text(result, matcher.gazetteer, TODAY).index("12333") < 60      # the hotline comes first
    owed, _ = turn(matcher, state, "老板不给工资去哪投诉", None)                   # wages named: their own topic
    assert owed.intent == "legal_aid"


def test_asking_whether_the_money_goes_to_the_worker_or_the_company_is_about_who_qualifies(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "公司让网上学习 有补贴吗", "上海市")
    result, _ = turn(matcher, state, "钱给我还是给公司", "上海市")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "shanghai-online-training-subsidy", "eligibility")


@pytest.mark.parametrize("text", ["请问安庆", "请问桐城有没有"])
def test_a_polite_turn_that_names_a_place_carries_the_topic_there(matcher: Matcher, text: str) -> None:
    _, state = turn(matcher, State(), "免费流量哪里领", None)
    result, _ = turn(matcher, state, text, None)
    assert result.intent == "data_bundle" and result.kind != "greeting"


@pytest.mark.parametrize("text", ["离婚了房子归谁 要找律师吗", "电工证考试题库哪里有", "扣完五险一金到手多少",
                                  "给外甥包多少红包合适", "砍一刀领红包是真的假的", "年夜饭一般几点开始吃",
                                  "工会会费交多少", "南京哪里买年货便宜点", "饿了么新人红包咋领得多",
                                  "安庆这边过年有什么习俗", "上海地铁怎么坐最省钱"])
def test_more_near_misses_are_refused(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "上海市").intent == "out_of_scope"


def test_law_outside_wages_is_pointed_to_the_legal_hotline(matcher: Matcher) -> None:
    result = matcher.match("老家宅基地的事想打官司")
    assert result.intent == "out_of_scope"
    assert "12348" in reply_text(result, matcher.gazetteer, TODAY)


def test_family_care_asked_from_where_the_worker_works_is_for_the_saved_home(matcher: Matcher) -> None:
    result, state = turn(matcher, State(), "我在厦门打工今年不回去了 家里就我妈跟我儿子 村里会有人去看看不",
                         "福建省福州市晋安区")
    assert (result.entry.id, result.region) == ("jinan-left-behind-visit", "福建省福州市晋安区")
    wages, _ = turn(matcher, state, "厦门这边工地欠我工钱 我能去哪告", "福建省福州市晋安区")
    assert (wages.region, wages.entry.region) == ("福建省厦门市", "全国")





def test_the_familys_home_place_named_mid_conversation_answers_there(matcher: Matcher) -> None:
    region = "云南省曲靖市麒麟区"
    _, state = turn(matcher, State(), "给家里寄点年货 过年快递收不收", region)
    result, state = turn(matcher, state, "我老家安庆怀宁的 家里两个老的带着娃 没人照看 那边有人管不", region)
    assert (result.entry.id, result.region) == ("anqing-huaining-volunteers", "安徽省安庆市怀宁县")
    contact, _ = turn(matcher, state, "找哪个", region)
    assert contact.entry.id == "anqing-huaining-volunteers"


def test_cantonese_pay_held_back_is_wages_owed(matcher: Matcher) -> None:
    assert matcher.match("我喺东莞做嘢 老细拖咗我两个月人工 点算好").intent == "legal_aid"
    assert matcher.match("转人工").intent == "service_station"


@pytest.mark.parametrize(("region", "first", "second", "entry", "fact"), [
    # a short question after a card for some people: their own measure
    ("福建省福州市晋安区", "我弟弟残疾 社区能上门帮忙照顾下不", "慰问金有没有", "jinan-disabled-1000", "每人1000元"),
    # a topic word only another measure of the topic says
    ("上海市", "现在一点收入都没有 房租也交不起 能找谁帮帮我", "过年有没有送棉衣的 我衣服带少了冻得很",
     "shanghai-micro-wish", "棉衣棉鞋"),
    # "besides this one": another measure of the topic
    ("安徽省安庆市迎江区", "迎江留岗补贴2000怎么领", "除了这个两千 厂里自己还要另外给钱不",
     "anqing-yingjiang-enterprise-500", "500元/人"),
    # an amount said in words names the measure with that amount
    ("安徽省安庆市迎江区", "迎江区留岗补贴多少钱", "厂里是不是还得再给五百", "anqing-yingjiang-enterprise-500", "500元/人"),
    # where a friend is, with little else: the topic, there
    (None, "安庆有免费流量领吗", "我哥们在潜山 那边是不是还单独送", "anqing-qianshan-data-10gb", "10GB"),
])
def test_a_second_turn_moves_to_the_measure_it_means(matcher: Matcher, region: str | None, first: str, second: str,
                                                     entry: str, fact: str) -> None:
    _, state = turn(matcher, State(), first, region)
    result, _ = turn(matcher, state, second, region)
    assert result.entry.id == entry
    assert fact in reply_text(result, matcher.gazetteer, TODAY)


def test_wages_owed_after_a_card_for_some_people_is_its_own_topic(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "我弟弟残疾 社区能上门帮忙照顾下不", "福建省福州市晋安区")
    owed, _ = turn(matcher, state, "还有就是上个月工资到现在还没发", "福建省福州市晋安区")
    assert owed.intent == "legal_aid"


def test_an_amount_said_goes_back_to_the_measure_that_gives_it(matcher: Matcher) -> None:
    region = "安徽省安庆市迎江区"
    _, state = turn(matcher, State(), "迎江区留下来有补贴 好多钱", region)
    data, state = turn(matcher, state, "那流量的事呢 送不送", region)
    back, _ = turn(matcher, state, "刚才那个两千块 几号截止", region)
    assert data.intent == "data_bundle"
    assert (back.intent, back.entry.id, back.aspect) == ("red_packet", "anqing-yingjiang-subsidy-2000", "validity")


def test_an_amount_only_one_topics_measures_give_here_names_that_topic(matcher: Matcher) -> None:
    result = matcher.match("户口在高风险地区的 留下来给1000是吗", "安徽省安庆市大观区")
    assert (result.intent, result.entry.id) == ("red_packet", "anqing-daguan-subsidy-1000")
    owed = matcher.match("老板欠我2000块工资 去哪投诉", "安徽省安庆市迎江区")
    assert owed.intent == "legal_aid"          # the worker's own sum, not the 2000元 subsidy


def test_what_a_word_of_the_card_means_is_a_follow_up_showing_where_it_is_said(matcher: Matcher) -> None:
    result, _ = _after(matcher, "大观区留下来过年补贴多少", "我们厂不大 规上是啥意思？", "安徽省安庆市大观区")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "anqing-daguan-subsidy-1000", "eligibility")
    assert "规模以上工业企业" in reply_text(result, matcher.gazetteer, TODAY)
    first, _ = _after(matcher, "大观区留下来过年补贴多少", "规上企业啥意思 我们厂几百人", "安徽省安庆市大观区")
    assert (first.kind, first.entry.id, first.aspect) == ("followup", "anqing-daguan-subsidy-1000", "eligibility")
    other, _ = _after(matcher, "潜山送流量吗", "流量密码是啥意思", "安徽省安庆市潜山市")
    assert other.kind == "out_of_scope"


def test_the_boss_withholding_it_in_cantonese_asks_whom_to_call_about_the_measure(matcher: Matcher) -> None:
    result, _ = _after(matcher, "我喺芙蓉区做嘢 开工加班点计人工啊", "老细唔畀点算 打边个电话", "湖南省长沙市芙蓉区")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "furong-overtime-pay", "contact")
    asked, _ = _after(matcher, "上海过年厂里食堂宿舍开不开", "找么人问", "上海市")
    assert (asked.kind, asked.aspect) == ("followup", "contact")


def test_a_place_inside_the_measures_region_keeps_the_measure_unless_it_has_its_own(matcher: Matcher) -> None:
    region = "上海市"
    _, state = turn(matcher, State(), "我老公在上海扫马路 过年也不休息 有没有歇脚的地方", region)
    there, state = turn(matcher, state, "在哪个地方 静安寺那边有没有", region)
    assert (there.kind, there.entry.id) == ("followup", "shanghai-outdoor-relay-station")
    also, _ = turn(matcher, state, "我不是环卫的 我能跟他一起去坐坐不", region)
    assert (also.kind, also.entry.id) == ("followup", "shanghai-outdoor-relay-station")
    district, _ = _after(matcher, "安庆过年有补贴吗", "那迎江区呢", "安徽省安庆市")
    assert district.entry.region == "安徽省安庆市迎江区"      # the district has its own


def test_a_town_named_without_its_zhen_finds_the_measure_held_there(matcher: Matcher) -> None:
    result = matcher.match("我在外面打工 小孩在怀宁平山老家过年没人带 村里有人管吗", "安徽省安庆市怀宁县")
    assert result.entry.id == "anqing-huaining-children-home"


def test_the_place_spoken_of_as_there_is_the_one_asked_about(matcher: Matcher) -> None:
    assert matcher.region_of("昆山离上海近 上海那边留下有补贴吗").name == "上海市"
    assert matcher.region_of("我在昆山 老家安徽那边").name == "江苏省苏州市昆山市"     # home is no "there"
    result, _ = _after(matcher, "我在昆山 过年留厂 加班费咋算", "昆山离上海近 上海那边留下有补帖吗", None)
    assert (result.intent, result.region) == ("red_packet", "上海市")    # another topic, there


def test_a_village_of_the_same_district_does_not_stop_a_move_to_the_topics_other_measure(matcher: Matcher) -> None:
    result, _ = _after(matcher, "晋安 我妈在养老院 过年我回不去 院里有活动没",
                       "我在外地 家里老人孩子在北峰 有人上门看看吗", "福建省福州市晋安区")
    assert result.entry.id == "jinan-left-behind-visit"


def test_living_in_a_dorm_is_the_workers_case_not_a_question_about_lodging(matcher: Matcher) -> None:
    result, _ = _after(matcher, "芙蓉区万份年夜饭 我们厂有没有", "送到哪 我住宿舍", "湖南省长沙市芙蓉区")
    assert (result.kind, result.intent, result.aspect) == ("followup", "new_year_meal", "place")


def test_asking_how_many_times_after_another_topic_is_about_overtime_pay(matcher: Matcher) -> None:
    result, _ = _after(matcher, "整个律师得花钱吧 有没有不要钱的", "三十那天俺也得跑车 给几倍", None)
    assert (result.intent, result.entry.id) == ("wage_rights", "national-overtime-statutory-holiday")


def test_what_money_there_is_after_another_topic_is_an_overview(matcher: Matcher) -> None:
    result, _ = _after(matcher, "芙蓉区过年加班工资怎么算的", "他那边过年有啥钱发不 他在隆平园厂里", "湖南省长沙市芙蓉区")
    assert (result.kind, result.intent) == ("overview", "red_packet")


@pytest.mark.parametrize("text", ["你好你好 🙏 第一次用这个", "谢谢 你比我儿子还耐心", "谢谢妹子 说着说着眼泪都下来了"])
def test_a_greeting_beside_a_remark_that_asks_nothing_is_a_greeting(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "湖南省长沙市芙蓉区").kind == "greeting"
    assert matcher.match("你好 今天天气怎么样", "湖南省长沙市芙蓉区").kind == "out_of_scope"


@pytest.mark.parametrize(("first", "then", "aspect"), [
    ("上海过年交通费补贴有没有", "我又没有单位 谁给我发", "contact"),
    ("芙蓉区留下过年有补贴没", "600那个是我自己去领还是公司给我", "eligibility"),
    ("芙蓉区留下过年有补贴没", "那600那个我不能领？", "eligibility"),
    ("申请法律援助要开啥证明不", "那个2月28号过了还能用不 现在都啥时候了", "validity"),
    ("芙蓉区万份年夜饭 我们厂有没有", "我们厂没搞 能自己买不", "eligibility"),
    ("芙蓉区留下过年有补贴没", "给现金还是打卡上啊", "how_to_claim"),          # how it is paid
    ("芙蓉区留下过年有补贴没", "是人人都有还是挑人给", "eligibility"),
    ("申请法律援助要开啥证明不", "要留啥子东西", "materials"),
])
def test_follow_ups_said_as_workers_say_them_ask_their_aspect(matcher: Matcher, first: str, then: str, aspect: str) -> None:
    region = "上海市" if "上海" in first else "湖南省长沙市芙蓉区" if "芙蓉" in first else "安徽省安庆市"
    result, _ = _after(matcher, first, then, region)
    assert (result.fallback, result.aspect) == (False, aspect)


def test_the_place_of_ones_household_registration_is_no_region_switch(matcher: Matcher) -> None:
    region = "云南省曲靖市麒麟区"
    result, _ = _after(matcher, "老婆生病住院花了好多钱 过年都过不起了 有没有啥救助", "我户口不在这 是昭通的 也能申请吗", region)
    assert (result.kind, result.region, result.aspect) == ("followup", region, "eligibility")
    insurance, _ = _after(matcher, "老婆生病住院花了好多钱 过年都过不起了 有没有啥救助", "医保住院报销比例是多少啊", region)
    assert insurance.kind == "out_of_scope"


def test_being_dismissed_after_a_stay_bonus_is_a_new_topic(matcher: Matcher) -> None:
    result, _ = _after(matcher, "在麒麟区工地上干活 过年不回去了 有没得红包", "快过年了老板说没活了让我走 被辞退了咋办",
                       "云南省曲靖市麒麟区")
    assert (result.intent, result.entry.id) == ("wage_rights", "qilin-layoff-protection")


def test_a_city_and_district_run_together_as_one_word_are_both_found(matcher: Matcher) -> None:
    assert matcher.region_of("我在上海浦东工地 包工头欠薪跑了").name == "上海市浦东新区"
    result = matcher.match("我在上海浦东工地 包工头欠薪跑了")
    assert result.entry.id == "shanghai-wage-arrears-clearance"


def test_a_long_story_that_asks_whom_to_turn_to_is_no_question_of_taste(matcher: Matcher) -> None:
    story = ("那个 我跟你说哦 我在上海工地上干 包工头年前跑了 欠了我们十几个人工钱 现在过年回不去 钱也要不到 "
             "你说我们应该找哪个 是找派出所还是找啥子部门")
    assert matcher.match(story, "上海市").intent == "legal_aid"
    assert matcher.match("年夜饭吃饺子还是汤圆", "上海市").intent == "out_of_scope"


def test_another_answer_offered_after_a_question_keeps_the_thread(matcher: Matcher) -> None:
    result, _ = _after(matcher, "芙蓉区留下来过年有红包吗", "这个是一定会发的吗 还是看老板心情", "湖南省长沙市芙蓉区")
    assert (result.kind, result.intent) == ("followup", "red_packet")


def test_what_the_worker_lacks_asked_about_qualifying_is_their_case(matcher: Matcher) -> None:
    result, _ = _after(matcher, "身上没钱了 房租都交不起 上海有没有临时救济的", "就是说我能不能领 我没有失业保险的", "上海市")
    assert (result.intent, result.entry.id) == ("hardship_relief", "shanghai-no-income-relief")


@pytest.mark.parametrize("text", ["长沙哪家馆子年夜饭好吃", "过年一个人做啥菜简单", "福州过年冷不冷", "叉车证考试难不难",
                                  "身份证丢了咋补办", "年夜饭吃饺子还是汤圆好", "喝了酒能找代驾不",
                                  "卖肉的大姐说年后猪肉还要涨 你说会不会跌嘛"])
def test_questions_of_taste_and_advice_are_refused_even_mid_conversation(matcher: Matcher, text: str) -> None:
    region = "湖南省长沙市芙蓉区"
    result, _ = _after(matcher, "芙蓉区万份年夜饭 我们厂有没有", text, region)
    assert result.kind == "out_of_scope"
    assert matcher.match(text, region).kind == "out_of_scope"


def test_a_long_story_is_judged_by_the_clause_that_asks_about_its_topic(matcher: Matcher) -> None:
    story = ("你好 嗯 我跟你说 我在上海一个饭店端盘子 饭店过年要关门一个月 老板说这一个月没有工资 让我们自己想办法 "
             "我听说有个什么共享员工 这个靠谱吗 怎么弄")
    assert matcher.match(story, "上海市").entry.id == "shanghai-shared-employees"
    chat = "嗯 再问一个 就是 萝卜买回来怎么放才不容易坏啊 我们宿舍没冰箱"
    assert matcher.match(chat, "上海市").kind == "out_of_scope"


def test_a_story_whose_strong_word_sets_the_scene_is_judged_by_the_one_clause_that_asks(matcher: Matcher) -> None:
    story = "我家娃寒假跟我在长沙 天天抱着手机玩 有没有啥网课给他上"
    assert matcher.match(story, "湖南省长沙市芙蓉区").entry.id == "furong-children-online-courses"
    two_asks = "我家娃寒假跟我在长沙 天天抱着手机玩 咋管他 你说有没有啥网课"
    assert matcher.match(two_asks, "湖南省长沙市芙蓉区").kind == "out_of_scope"


def test_pay_owed_to_a_dozen_people_is_no_request_for_a_person(matcher: Matcher) -> None:
    result = matcher.match("包工头跑了 欠了我们十几个人工钱 找谁", "上海市")
    assert result.intent == "legal_aid"
    assert matcher.match("转人工", "上海市").intent == "service_station"


def test_an_amount_said_again_goes_back_to_the_workers_own_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["我在迎江开发区厂里 补贴有多少", "我老乡在宜秀那边开发区上班 他也是外省的 他能拿多少",
                             "刚才我那个2000的 啥时候发"], "安徽省安庆市迎江区")
    assert result.entry.id == "anqing-yingjiang-subsidy-2000"


def test_family_asked_to_come_along_is_a_follow_up_not_family_care(matcher: Matcher) -> None:
    result, _ = _after(matcher, "在福州过年 听说有免费住的地方", "我老公孩子能一起住不", "福建省福州市晋安区")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "jinan-free-stay-package", "family")


@pytest.mark.parametrize("text", ["年夜饭吃鱼有啥讲究", "过年给侄子包多少红包合适"])
def test_customs_and_etiquette_are_refused_mid_conversation(matcher: Matcher, text: str) -> None:
    result, _ = _after(matcher, "工会那个年夜饭 我们工地的能去吃不", text, "福建省福州市晋安区")
    assert result.kind == "out_of_scope"


def test_care_for_a_child_is_where_the_child_is(matcher: Matcher) -> None:
    result = matcher.match("我在上海打工 儿子在怀宁月山镇跟他爷爷 过年我回不去 有人照看不", "上海市")
    assert (result.region, result.entry.id) == ("安徽省安庆市怀宁县", "anqing-huaining-volunteers")


def test_a_region_switch_with_words_of_its_own_is_ranked_by_them(matcher: Matcher) -> None:
    region = "云南省曲靖市麒麟区"
    result = _last(matcher, ["过年公交几点收车", "我儿子在福州晋安那边上班 他那边坐车打车方便不", "那麒麟这边 火车票能退不"],
                   region)
    assert (result.region, result.entry.id) == (region, "qilin-refund-rebook")


def test_asked_how_much_a_local_right_that_does_not_say_gives_way_to_the_national_rule(matcher: Matcher) -> None:
    result = matcher.match("俺们厂过年加班给几倍啊", "安徽省安庆市迎江区")
    assert result.entry.id == "national-overtime-statutory-holiday"
    assert "300%" in reply_text(result, matcher.gazetteer, TODAY)


def test_a_correction_asks_the_question_after_it(matcher: Matcher) -> None:
    result, _ = _after(matcher, "工地上说有医生来看病 是咋回事", "不是这个 我问的是体检 免费那个", "湖南省长沙市芙蓉区")
    assert result.entry.id == "furong-free-checkup"


@pytest.mark.parametrize("text", ["以工代训的活累不累", "体检那个中医理疗伤不伤身体", "20G流量刷视频能刷多久",
                                  "劳动仲裁员要考啥证", "工会年夜饭上给领导敬酒说啥好", "培训班学挖掘机学费一般多少",
                                  "骗子电话咋拉黑 手机在哪设置", "残疾人能考驾照不"])
def test_questions_of_know_how_on_a_topic_word_are_refused(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "安徽省安庆市").kind == "out_of_scope"


@pytest.mark.parametrize(("text", "intent"), [("以工代训延长到几号了", "training"), ("工会年夜饭一线的能去吗", "new_year_meal"),
                                              ("残疾人过年有慰问没", "hardship_relief")])
def test_the_same_topic_words_asking_for_a_measure_are_answered(matcher: Matcher, text: str, intent: str) -> None:
    assert matcher.match(text, "安徽省安庆市").intent == intent


def test_a_national_hotline_asked_again_for_a_city_gives_the_citys_own_card_for_it(matcher: Matcher) -> None:
    result, _ = _after(matcher, "12348过年打得通吗", "安庆的", None)
    assert (result.region, result.entry.id) == ("安徽省安庆市", "anqing-legal-aid-12348-online")


def test_a_partner_named_in_a_region_switch_is_no_dating_talk(matcher: Matcher) -> None:
    result, _ = _after(matcher, "大观区留下过年有钱拿不", "那桐城呢 我对象在桐城厂里", "安徽省安庆市大观区")
    assert (result.intent, result.region) == ("red_packet", "安徽省安庆市桐城市")
    assert result.entry.id == "anqing-tongcheng-subsidy-1000"


@pytest.mark.parametrize(("text", "heard", "not_heard"), [
    ("免费提检在哪", "免费体检", None),                                 # a typo is heard as the term
    ("我婆婆在桐城乡下一个人 过年没人去看", None, "线下"),              # 乡下 is a word of its own
    ("返乡了想在家门口找个活", None, "口罩"),                           # 家门口|找 holds no 口罩
])
def test_a_word_is_heard_by_sound_only_where_no_other_word_was_typed(
        matcher: Matcher, text: str, heard: str | None, not_heard: str | None) -> None:
    from intents.evidence import gather
    from intents.normalize import normalize
    q = matcher.pipeline.prepare(normalize(text), normalized=True, question=True)
    found = {hit.term.text for hit in gather(matcher.index, q).hits if hit.by_sound}
    assert (heard is None or heard in found) and not_heard not in found


def test_a_turn_leaning_on_the_card_just_shown_is_no_chit_chat(matcher: Matcher) -> None:
    result, _ = _after(matcher, "高铁站那个服务专区是干啥的", "现在还有没 2027年还搞不搞", "安徽省安庆市经济技术开发区")
    assert (result.kind, result.entry.id) == ("followup", "anqing-jingkai-hsr-service-zone")


def test_the_learned_follow_up_class_counts_only_where_there_is_something_to_follow(matcher: Matcher) -> None:
    from intents.evidence import gather
    from intents.learned import FOLLOWUP
    from intents.normalize import normalize
    q = matcher.pipeline.prepare(normalize("要去现场不 还是手机上就能弄"), normalized=True, question=True)
    mid = gather(matcher.index, q, context="jobs").learned
    assert max(mid, key=mid.get) == FOLLOWUP
    assert FOLLOWUP not in gather(matcher.index, q).learned
    result = matcher.match("我是外省的，在开发区厂子干，不走给多少", "安徽省安庆市宜秀区")
    assert (result.intent, result.entry.id) == ("red_packet", "anqing-yixiu-subsidy-1000")


@pytest.mark.parametrize(("then", "kind"), [("流量是全国的还是本地的", "followup"), ("年夜饭吃饺子还是汤圆好", "out_of_scope")])
def test_a_choice_between_two_things_the_measure_says_is_a_follow_up(matcher: Matcher, then: str, kind: str) -> None:
    result, _ = _after(matcher, "流量也有吗", then, "湖南省长沙市芙蓉区")
    assert result.kind == kind


def test_my_own_place_after_a_friends_is_where_the_worker_saved(matcher: Matcher) -> None:
    region = "云南省曲靖市麒麟区"
    result = _last(matcher, ["菜价乱涨 举报电话多少", "那我老乡在福州晋安 他那边呢", "我自己这边 和老板闹翻了 工钱谈不拢咋整"],
                   region)
    assert result.region == region


def test_a_long_story_that_names_topics_in_passing_and_asks_for_none_is_refused(matcher: Matcher) -> None:
    result = matcher.match("然后那个 我跟你说 俺这手机拍照老是糊的 就是拍出来有点模糊 你说是不是该换个手机了 换哪个牌子拍照好一点",
                           "安徽省安庆市大观区")
    assert result.kind == "out_of_scope"


@pytest.mark.parametrize("text", ["年夜饭礼盒放冰箱能放几天", "调休嘞几天在宿舍耍啥子游戏好嘛"])
def test_how_many_days_is_asked_of_anything_and_seeks_no_measure(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "湖南省长沙市芙蓉区").kind == "out_of_scope"


def test_a_family_quarrel_about_prices_seeks_no_measure(matcher: Matcher) -> None:
    assert matcher.match("过年东西都涨价了，爸妈嫌我乱花钱，打电话老吵架怎么办").kind == "out_of_scope"


@pytest.mark.parametrize(("text", "region", "entry"), [
    ("我弟弟是残疾人 跟我一起住晋安 他有慰问金吗", "福建省福州市晋安区", "jinan-disabled-1000"),
    ("返乡了想在家门口找个活 高铁站那边有问的地方吗", "安徽省安庆市经济技术开发区", "anqing-jingkai-hsr-service-zone"),
])
def test_the_learned_model_weighs_in_where_the_words_point_two_ways(matcher: Matcher, text: str, region: str,
                                                                     entry: str) -> None:
    assert matcher.match(text, region).entry.id == entry


@pytest.mark.parametrize(("first", "then", "region", "entry"), [
    ("我四川的 在迎江经开区化工厂上班 今年过年不回去了 听说区里每人补2000块 真的假的", "那厂里自己还另外补不",
     "安徽省安庆市迎江区", "anqing-yingjiang-enterprise-500"),
    ("宜秀区留下过年补多少", "公司还给不给", "安徽省安庆市宜秀区", "anqing-yixiu-company-red-packet"),
])
def test_what_the_employer_gives_on_top_is_the_topics_employer_measure(matcher: Matcher, first: str, then: str,
                                                                       region: str, entry: str) -> None:
    result, _ = _after(matcher, first, then, region)
    assert result.entry.id == entry


def test_a_place_in_a_side_remark_does_not_move_the_conversation(matcher: Matcher) -> None:
    region = "福建省福州市晋安区"
    result = _last(matcher, ["工地过年不停工 听工友说工会管一顿年夜饭 是真的不", "年夜饭整几个啥菜好 想自己弄两个江西菜",
                             "那工会还有啥慰问没"], region)
    assert (result.region, result.entry.id) == (region, "jinan-union-condolence")
    assert _last(matcher, ["我在宜秀区"], None).region == "安徽省安庆市宜秀区"


def test_a_local_card_that_does_not_say_what_is_asked_gives_way_to_the_national_rule_that_does(
        matcher: Matcher) -> None:
    region = "云南省曲靖市麒麟区"
    result = _last(matcher, ["初一初二厂里要加班 加班费咋个算嘛", "仲裁要钱不 我怕打不起"], region)
    assert result.entry.id == "national-labour-arbitration"
    assert "不收费" in reply_text(result, matcher.gazetteer, TODAY)


def test_the_city_itself_is_asked_about_not_the_workers_district_in_it(matcher: Matcher) -> None:
    result = _last(matcher, ["桐城最近有招聘会吗 饭店干够了想换个活", "那安庆市里有没有直播招工的"], "安徽省安庆市桐城市")
    assert (result.region, result.entry.id) == ("安徽省安庆市", "anqing-livestream-jobs-0207")


def test_a_topic_word_that_names_another_measure_of_the_topic_moves_to_it(matcher: Matcher) -> None:
    region = "湖南省长沙市芙蓉区"
    result = _last(matcher, ["在芙蓉区商场做保洁 春节七天都排班 节后能调休不", "加班费咋算 老板说就给平时工资"], region)
    assert result.entry.id == "furong-overtime-pay"


@pytest.mark.parametrize(("then", "entry"), [("过年那几天开不开", "shanghai-outdoor-relay-station"),
                                             ("那交通费呢", "shanghai-transport-subsidy")])
def test_an_aspect_asked_with_little_else_names_a_measure_only_by_its_name(matcher: Matcher, then: str,
                                                                          entry: str) -> None:
    first = {"过年那几天开不开": "扫马路的 冬天早上冻死了 上海有没有地方能进去歇个脚喝口热水",
             "那交通费呢": "上海送外卖的 话费有补贴吗"}[then]
    result, _ = _after(matcher, first, then, "上海市")
    assert result.entry.id == entry


def test_one_generic_word_left_of_a_follow_up_keeps_the_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["家里就我一个劳力 媳妇残疾 过年麒麟区有啥帮扶", "菜价涨了 困难户有补贴不", "找哪个申请"],
                   "云南省曲靖市麒麟区")
    assert (result.kind, result.entry.id) == ("followup", "qilin-price-subsidy")


@pytest.mark.parametrize(("texts", "region", "entry"), [
    (["安庆这边菜价涨得吓人 过年有平价菜卖没", "超市标价20 结账收我25 能告他不"], "安徽省安庆市", "anqing-city-price-gouging"),
    (["初一初二厂里要加班 加班费咋个算嘛", "仲裁要钱不 我怕打不起", "要是拖过一年了还能告不"], "云南省曲靖市麒麟区",
     "national-labour-arbitration"),
])
def test_where_to_complain_is_the_topics_complaint_measure_unless_it_asks_how_long(
        matcher: Matcher, texts: list[str], region: str, entry: str) -> None:
    assert _last(matcher, texts, region).entry.id == entry


@pytest.mark.parametrize("then", ["好的我打电话问问", "那我先去问问厂里", "好 那我去社区问问", "原来是这样", "好的呢", "就这样吧",
                                  "88", "好的 886"])
def test_a_worker_closing_the_conversation_gets_a_goodbye(matcher: Matcher, then: str) -> None:
    result, _ = _after(matcher, "安庆免费流量怎么领", then, "安徽省安庆市")
    assert result.kind == "greeting"


@pytest.mark.parametrize("then", ["我去哪问问", "那我去社区问问要带啥", "我去问问老板给不给",
                                  "大观这边有免费拍照的是吧 想拍个照发给我妈看看"])
def test_saying_where_one_will_ask_is_still_a_question_when_it_asks(matcher: Matcher, then: str) -> None:
    result, _ = _after(matcher, "安庆免费流量怎么领", then, "安徽省安庆市")
    assert result.kind != "greeting"


@pytest.mark.parametrize(("text", "kind"), [("过年回家给爸妈带点啥好", "out_of_scope"), ("年货买什么划算", "out_of_scope"),
                                            ("过年买年货有没有优惠", "measure")])
def test_what_to_bring_buy_or_wear_is_taste_unless_it_seeks_a_measure(matcher: Matcher, text: str, kind: str) -> None:
    assert matcher.match(text, "安徽省安庆市").kind == kind


@pytest.mark.parametrize("then", ["没有了", "不用了", "哈哈", "打扰了", "👍", "[抱拳]", "真棒", "晚点再说"])
def test_acknowledgements_of_every_kind_end_the_thread_politely(matcher: Matcher, then: str) -> None:
    result, _ = _after(matcher, "安庆免费流量怎么领", then, "安徽省安庆市")
    assert result.kind == "greeting"


@pytest.mark.parametrize("then", ["没收到", "不明白", "没了咋办", "🧧🎉😀"])
def test_a_negation_or_a_question_is_no_acknowledgement(matcher: Matcher, then: str) -> None:
    result, _ = _after(matcher, "安庆免费流量怎么领", then, "安徽省安庆市")
    assert result.kind != "greeting"


@pytest.mark.parametrize(("text", "region", "entry"), [
    ("过年菜贵得离谱 一把葱要十块 有人管没得", "云南省曲靖市麒麟区", "qilin-price-supervision"),
    ("楼下小卖部一瓶水卖十块，能告他不", "安徽省安庆市", "anqing-city-price-gouging"),
])
def test_a_first_question_asking_where_to_complain_gets_the_nearest_complaint_measure(
        matcher: Matcher, text: str, region: str, entry: str) -> None:
    assert matcher.match(text, region).entry.id == entry


@pytest.mark.parametrize(("text", "kind"), [("在吗 有个事想问问", "greeting"), ("我想问一下", "greeting"),
                                            ("我想咨询一下免费体检", "measure"), ("我去问问免费体检", "measure")])
def test_an_opener_that_announces_a_question_is_a_greeting_and_one_that_asks_is_answered(
        matcher: Matcher, text: str, kind: str) -> None:
    assert matcher.match(text, "安徽省安庆市").kind == kind


@pytest.mark.parametrize("first", ["迎江区留岗补贴多少", "免费体检在哪做"])
def test_must_i_go_in_person_asks_how_to_claim_the_measure_just_given(matcher: Matcher, first: str) -> None:
    before, state = turn(matcher, State(), first, "安徽省安庆市迎江区")
    result, _ = turn(matcher, state, "要本人去吗", "安徽省安庆市迎江区")
    assert (result.kind, result.aspect, result.entry.id) == ("followup", "how_to_claim", before.entry.id)


@pytest.mark.parametrize("then", ["得嘞", "妥了 谢谢老铁", "中 俺记下了", "你是真人吗", "得 我晓得了", "好 我让我老婆去问",
                                  "明天我就去办", "好的 我给社区打个电话 谢谢", "我知道怎么弄了", "谢谢你耐心解答", "真是帮了大忙了"])
def test_a_northern_acknowledgement_closes_the_topic(matcher: Matcher, then: str) -> None:
    result, _ = _after(matcher, "晋安看电影有优惠没", then, "福建省福州市晋安区")
    assert result.kind == "greeting"


@pytest.mark.parametrize(("texts", "region", "aspect", "entry"), [
    (["晋安看电影有优惠没", "咋优惠 打几折啊"], "福建省福州市晋安区", "amount", "jinan-cinema-bookstore-deals"),
    (["大观这边有免费拍照发给屋里人的?", "我媳妇孩子能一起去拍不"], "安徽省安庆市大观区", "family",
     "anqing-daguan-new-year-photo"),
    (["高铁站那个服务专区是干啥的", "想细问问政策 找谁"], "安徽省安庆市经济技术开发区", "contact",
     "anqing-jingkai-hsr-service-zone"),
])
def test_the_words_that_ask_a_part_of_the_card_do_not_move_to_another_measure(
        matcher: Matcher, texts: list[str], region: str, aspect: str, entry: str) -> None:
    result = _last(matcher, texts, region)
    assert (result.kind, result.aspect, result.entry.id) == ("followup", aspect, entry)


def test_a_place_named_with_the_topics_own_word_is_the_topic_there(matcher: Matcher) -> None:
    result = _last(matcher, ["过年让俺们初一初二上班 加班费给几倍啊", "换成上海呢 俺小舅子在上海也得加班"],
                   "安徽省安庆市经济技术开发区")
    assert (result.intent, result.region, result.entry.id) == ("wage_rights", "上海市", "shanghai-overtime-pay")


def test_family_named_in_a_first_question_is_no_part_of_a_measure_asked_for(matcher: Matcher) -> None:
    assert matcher.match("俺想订个民宿带老婆孩子耍两天，住哪块儿中", "福建省福州市晋安区").kind == "out_of_scope"


def test_what_is_left_once_the_part_asked_is_taken_out_decides_when_it_is_plainly_a_topic(
        matcher: Matcher) -> None:
    assert matcher.match("工会的礼券怎么用", "湖南省长沙市芙蓉区").intent == "red_packet"


def test_advice_words_on_a_measure_named_by_its_own_word_ask_for_that_measure(matcher: Matcher) -> None:
    assert matcher.match("晋安那个年糕线面的年味礼包怎么抢", "福建省福州市晋安区").entry.id == "jinan-nianwei-gift"
    assert matcher.match("微信红包怎么抢得多", "福建省福州市晋安区").kind == "out_of_scope"


def test_the_workers_case_in_family_words_asks_who_may_have_the_measure_just_given(matcher: Matcher) -> None:
    result = _last(matcher, ["20G流量咋领", "我老婆在家带娃 没上班 她能领不"], "湖南省长沙市芙蓉区")
    assert (result.kind, result.entry.id) == ("followup", "furong-data-20g")


@pytest.mark.parametrize("text", ["失业了能领啥", "被裁了 失业金能领几个月"])
def test_unemployment_without_a_region_gets_the_national_rule_and_not_one_districts_card(
        matcher: Matcher, text: str) -> None:
    result = matcher.match(text, None)
    assert (result.kind, result.region, result.entry.id) == ("measure", "全国", "national-unemployment-insurance")
    assert "12个月" in result.entry.answer


def test_a_district_named_after_the_national_unemployment_rule_gets_its_own_card(matcher: Matcher) -> None:
    result = _last(matcher, ["厂子倒了 没活干了 能领失业金吗", "福州晋安区"], None)
    assert (result.region, result.entry.id) == ("福建省福州市晋安区", "jinan-unemployment-benefit")
    assert matcher.match("刚被辞了，失业金能领吗", "福建省福州市晋安区").entry.id == "jinan-unemployment-benefit"


@pytest.mark.parametrize(("first", "region", "said"), [
    ("潜山免费流量怎么领", "安徽省安庆市潜山市", "赠送10GB"),
    ("免费体检在哪做", "安徽省安庆市", "通知里没有写收不收费"),
])
def test_asked_about_cost_the_card_says_it_is_given_free_or_that_it_does_not_say(
        matcher: Matcher, first: str, region: str, said: str) -> None:
    result = _last(matcher, [first, "收费吗"], region)
    text = reply_text(result, matcher.gazetteer, TODAY)
    assert result.aspect == "cost" and said in text


def test_an_overview_lists_the_offers_before_the_rights_that_always_hold(matcher: Matcher) -> None:
    result = matcher.match("留沪过年有啥补贴", "上海市")
    assert result.kind == "overview"
    assert result.entries[0].kind != "standing"


def test_a_word_another_measure_is_built_on_moves_a_follow_up_to_it(matcher: Matcher) -> None:
    result = _last(matcher, ["老板跑路了 工钱一分没给 咋整啊", "去仲裁得花钱不"], None)
    assert (result.region, result.entry.id) == ("全国", "national-labour-arbitration")
    assert "不收费" in reply_text(result, matcher.gazetteer, TODAY)
    # ... but a word one keyword of another measure merely holds (医院 in 美可普口腔医院) does not
    result = _last(matcher, ["腰不好 晋安有免费理疗不", "在哪家医院"], "福建省福州市晋安区")
    assert result.entry.id == "jinan-free-tcm-therapy"


@pytest.mark.parametrize(("switch", "region", "entry"), [
    ("那桐城呢", "安徽省安庆市桐城市", "anqing-tongcheng-subsidy-1000"),
    ("那宜秀区呢", "安徽省安庆市宜秀区", "anqing-yixiu-company-red-packet"),
])
def test_a_bare_region_switch_after_a_seasonal_measure_leads_with_the_new_places_own(
        matcher: Matcher, switch: str, region: str, entry: str) -> None:
    result = _last(matcher, ["红包多少", switch], "安徽省安庆市迎江区")
    assert (result.region, result.entry.region) == (region, region)
    assert entry in [e.id for e in result.entries[:2]]


@pytest.mark.parametrize(("region", "first", "second"), [
    ("安徽省安庆市迎江区", "anqing-yingjiang-subsidy-2000", "anqing-yingjiang-enterprise-500"),
    ("安徽省安庆市宜秀区", "anqing-yixiu-subsidy-1000", "anqing-yixiu-company-red-packet"),
])
def test_a_bare_question_leads_with_the_places_own_amount_then_what_employers_add(
        matcher: Matcher, region: str, first: str, second: str) -> None:
    result = matcher.match("红包多少", region)
    assert [e.id for e in result.entries[:2]] == [first, second]
    assert result.entries[2].region != region or not result.entries[2].amount


@pytest.mark.parametrize(("follow", "said"), [("网址是啥", "通知里没有写网址或公众号"),
                                              ("单位还另外补吗", "通知里没有写单位另外补不补")])
def test_a_part_the_card_does_not_give_is_said_plainly(matcher: Matcher, follow: str, said: str) -> None:
    result = _last(matcher, ["潜山免费流量怎么领", follow], "安徽省安庆市潜山市")
    text = reply_text(result, matcher.gazetteer, TODAY)
    assert said in text and "12333" in text


def test_a_turn_on_another_topic_whose_rest_says_nothing_of_this_one_is_a_new_question(matcher: Matcher) -> None:
    result = _last(matcher, ["现在回老家还要报备不", "过年买米买油好买不"], "云南省曲靖市麒麟区")
    assert (result.intent, result.kind, result.entry.id) == ("prices_supplies", "measure", "qilin-food-supply")


def test_which_platform_pays_more_is_shopping_advice_but_where_cheap_vegetables_are_is_a_measure(
        matcher: Matcher) -> None:
    result = _last(matcher, ["送外卖的 过年留上海跑单 有补贴拿不", "哪个外卖平台单价高点"], "上海市")
    assert result.kind == "out_of_scope"
    assert matcher.match("平价菜哪里便宜", "安徽省安庆市").entry.id == "anqing-city-cheap-veg-stores"


def test_a_turn_whose_rest_is_surely_another_topic_with_its_word_typed_is_a_new_question(matcher: Matcher) -> None:
    result = _last(matcher, ["静安过年菜场开门伐", "送外卖的算不算 有慰问伐"], "上海市静安区")
    assert (result.intent, result.kind) == ("red_packet", "measure")


def test_what_about_a_measure_told_with_a_reason_after_it_is_that_measure(matcher: Matcher) -> None:
    """"交通费呢 我每日乘地铁上班" after the phone subsidy: the transport subsidy, not travel in general."""
    result, _ = _after(matcher, "话费补贴有伐 手机费老贵额", "交通费呢 我每日乘地铁上班额", "上海市")
    assert (result.intent, result.entry.id) == ("red_packet", "shanghai-transport-subsidy")


def test_a_rare_word_only_another_measure_of_the_topic_names_moves_the_follow_up_there(matcher: Matcher) -> None:
    """现成 (ready-made) is said by the New Year's Eve dinner boxes on sale and by no delivery card;
    a word the worker's own case holds (没收到短信) does not move a follow-up."""
    result, _ = _after(matcher, "芙蓉区年夜饭能送到宿舍吗", "外面能买现成的年夜饭不", "湖南省长沙市芙蓉区")
    assert result.entry.id == "furong-new-year-meal-boxes"
    before, state = turn(matcher, State(), "潜山免费流量咋领", "安徽省安庆市潜山市")
    result, _ = turn(matcher, state, "咋领啊 一直没收到短信", "安徽省安庆市潜山市")
    assert result.entry.id == before.entry.id


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("我哥是残疾人 在晋安 过年有没有慰问", "hardship_relief", "jinan-disabled-1000"),   # 残疾人 and 慰问: one measure says both
    ("晋安过年有慰问没", "red_packet", "jinan-driver-condolence"),
])
def test_of_two_close_topics_the_one_whose_measure_says_the_words_typed_answers(
        matcher: Matcher, text: str, intent: str, entry: str) -> None:
    result = matcher.match(text, "福建省福州市晋安区")
    assert (result.intent, result.entry.id) == (intent, entry)


def test_coming_back_to_the_measure_before_the_last_one_by_its_words(matcher: Matcher, tmp_path) -> None:
    """住宿那个怎么申请 after the free stay and then a health check: how to apply for the stay. The
    measure before the last one is kept with the worker's conversation in the database."""
    from intents.assistant import Assistant
    from knowledge import open_db
    from knowledge.users import Users

    users = Users(open_db(tmp_path / "bot.db"))
    assistant = Assistant(matcher, users)
    users.set_region(7, "福建省福州市晋安区")
    first = assistant.ask(7, "晋安有免费住宿吗").result
    assistant.ask(7, "体检呢")
    assert users.get(7).earlier_topic == first.entry.id == "jinan-free-stay-package"
    back = assistant.ask(7, "住宿那个怎么申请").result
    assert (back.kind, back.entry.id, back.aspect) == ("followup", "jinan-free-stay-package", "how_to_claim")
    users.forget(7)
    assert users.get(7).earlier_topic is None


@pytest.mark.parametrize(("then", "aspect"), [("在哪报名", "place"), ("去哪家医院", "place"), ("找哪个部门", "contact")])
def test_the_words_that_ask_a_part_are_no_topic_of_their_own(matcher: Matcher, then: str, aspect: str) -> None:
    """报名 in 在哪报名 asks where to sign up for the health check, not for training."""
    before, state = turn(matcher, State(), "安庆免费体检在哪做", "安徽省安庆市")
    result, _ = turn(matcher, state, then, "安徽省安庆市")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", before.entry.id, aspect)


@pytest.mark.parametrize("then", ["市里呢", "安庆市里有吗"])
def test_the_city_asked_after_a_districts_measure_answers_with_the_citys_own(matcher: Matcher, then: str) -> None:
    """市里呢 after 迎江区's subsidy: 安庆's own measures first, not another district's."""
    result, state = _after(matcher, "迎江区留下过年补贴多少", then, "安徽省安庆市迎江区")
    assert (result.intent, result.region, result.entry.region) == ("red_packet", "安徽省安庆市", "安徽省安庆市")
    assert state.region == "安徽省安庆市"


@pytest.mark.parametrize("then", ["老板人挺好的", "我想辞职了"])
def test_a_short_remark_that_is_surely_chit_chat_does_not_lean_on_the_measure(matcher: Matcher, then: str) -> None:
    result, _ = _after(matcher, "安庆免费体检在哪做", then, "安徽省安庆市")
    assert result.kind == "out_of_scope"


def test_a_short_asking_clause_at_the_end_of_a_story_asks_about_the_clause_before_it(matcher: Matcher) -> None:
    """...住的地方小 过年也不回去了 听说有免费的体检 在哪做啊: the health check, not accommodation."""
    text = "我们一家三口都在这边打工 孩子放假了也接过来了 住的地方小 过年也不回去了 听说有免费的体检 在哪做啊"
    assert matcher.match(text, "安徽省安庆市桐城市").intent == "health_check"


def test_a_story_of_wages_held_back_gets_the_measure_whose_own_terms_say_it(matcher: Matcher) -> None:
    """工资要拖到年后 (wages put off) is 欠薪; of 安庆's legal aid, the wage arrears campaign says so,
    not the anti-fraud talk whose example question only mentions 工资."""
    text = "老板年底说资金周转不开 工资要拖到年后 我们十几个老乡都没拿到钱 买票的钱都没有 这种情况找谁"
    result = matcher.match(text, "安徽省安庆市桐城市")
    assert (result.intent, result.entry.id) == ("legal_aid", "anqing-city-wage-arrears-campaign")


@pytest.mark.parametrize("text", ["补办身份证要带啥材料 去哪办", "驾照到期了换证去哪办 要带啥", "护照过期了 重新办要多少钱"])
def test_an_errand_asked_in_a_measures_words_is_refused(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "安徽省安庆市迎江区").kind == "out_of_scope"


def test_an_errand_mid_conversation_is_refused_and_the_measure_is_still_followed(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "留岗红包去领的时候要带什么证件", "安徽省安庆市迎江区")
    errand, state = turn(matcher, state, "补办身份证要带啥", "安徽省安庆市迎江区")
    assert errand.kind == "out_of_scope"
    again, _ = turn(matcher, state, "那个红包找谁领", "安徽省安庆市迎江区")
    assert again.intent == "red_packet"


def test_a_hotline_number_names_its_measure_but_not_inside_a_longer_number(matcher: Matcher) -> None:
    assert matcher.match("12345能打通吗").entry.id == "national-hotline-12345"
    assert matcher.match("我电话是1234567").kind == "out_of_scope"


def test_every_pointer_word_leads_to_its_own_pointer(matcher: Matcher) -> None:
    pointers = matcher.resources.pointers
    assert len(pointers) >= 15
    for words, say in pointers:
        for word in words:
            assert matcher.resources.pointer(f"{word}的事咋弄") == say, word


@pytest.mark.parametrize(("text", "where"), [("补办身份证要带啥材料", "派出所"), ("驾照到期了换证去哪办", "12123"),
                                             ("手机卡丢了补卡要带啥", "10086")])
def test_an_errand_is_refused_with_whom_to_ask(matcher: Matcher, text: str, where: str) -> None:
    result = matcher.match(text, "安徽省安庆市迎江区")
    assert result.kind == "out_of_scope"
    assert where in reply_text(result, matcher.gazetteer, TODAY)


@pytest.mark.parametrize(("region", "opening", "local"), [
    ("上海市静安区", "过年小菜会不会涨价老多 买得到伐", "shanghai-price-supervision"),
    ("安徽省安庆市迎江区", "过年菜价稳不稳 平价菜哪里买", "anqing-city-price-gouging"),
])
def test_whom_to_call_about_prices_mid_conversation_is_the_places_own_measure_first(
        matcher: Matcher, region: str, opening: str, local: str) -> None:
    _, state = turn(matcher, State(), opening, region)
    result, _ = turn(matcher, state, "菜场要是乱涨价 打啥电话", region)
    assert result.entry.id == local               # the place's price complaints, not only the national 12315
    assert "12315" in reply_text(result, matcher.gazetteer, TODAY)


@pytest.mark.parametrize(("place", "first"), [("安庆迎江开发区的", "anqing-yingjiang-subsidy-2000"),
                                              ("宜秀开发区", "anqing-yixiu-subsidy-1000")])
def test_a_districts_development_zone_answers_where_we_asked_with_its_own_amounts(
        matcher: Matcher, place: str, first: str) -> None:
    asked, state = turn(matcher, State(), "留下来过年有红包不", None)
    assert asked.kind == "ask_region"
    result, _ = turn(matcher, state, place, None)
    assert result.entry.id == first


def test_these_few_days_in_a_story_is_no_question_of_when(matcher: Matcher) -> None:
    story = "我在麒麟区菜市场旁边租房子住，这几天发现猪肉和蔬菜一天一个价，还有缺斤短两的，这种乱涨价可以去哪里投诉"
    result = matcher.match(story)
    assert "validity" not in result.aspects
    assert result.entry.id == "qilin-price-supervision"
    assert "12315" in reply_text(result, matcher.gazetteer, TODAY)
    assert "validity" in matcher.match("法律援助几天能办好", "安徽省安庆市").aspects


@pytest.mark.parametrize("text", ["前天买的排骨回家一称才一斤六两，老板还不认账说我秤不准，这种缺斤少两的到底去哪投诉才有用",
                                  "超市卖肉短斤缺两 到底找哪个部门"])
def test_short_weight_said_any_way_is_the_12315_complaint(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert (result.intent, result.entry.id) == ("prices_supplies", "national-hotline-12315")


@pytest.mark.parametrize(("text", "intent"), [("过年想找活动参加 有啥推荐", "culture_leisure"),
                                              ("厂里说的慰问品我没收到 是不是要找工会", "red_packet")])
def test_a_word_that_only_looks_like_looking_for_work_is_not_read_as_it(matcher: Matcher, text: str,
                                                                       intent: str) -> None:
    assert matcher.resources.canon("找工会 找活动 找工地") == "找工会 找活动 找工地"
    assert matcher.match(text, "安徽省安庆市").intent == intent


def test_what_of_a_thing_named_after_it_is_no_general_question(matcher: Matcher) -> None:
    assert matcher.match("过年发啥朋友圈文案好").intent == "out_of_scope"      # which post, not what is given
    general = matcher.match("芙蓉区留长过年能领哪些东西")
    assert (general.intent, general.kind) == ("red_packet", "overview")


@pytest.mark.parametrize(("text", "content"), [("我在宜秀厂里干活 红包给多少", "厂里干活红包给多少"),
                                               ("我在宜宾打工", "打工"), ("南京鼓楼区过年有红包吗", "红包")])
def test_a_place_is_taken_out_of_the_question_whole(matcher: Matcher, text: str, content: str) -> None:
    # 在宜 (安庆) overlaps 宜秀 and 宜宾: no 秀 or 宾 is left behind for the model to read
    assert matcher.pipeline.prepare(text, question=True).content == content


def test_what_the_government_gives_after_what_employers_give_is_the_districts_own_cash(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "宜秀这边厂里过年发红包不 听说500到1000", "安徽省安庆市宜秀区")
    result, _ = turn(matcher, state, "那zf自己发的呢 我外省的", "安徽省安庆市宜秀区")
    assert result.entry.id == "anqing-yixiu-subsidy-1000"
    asked, _ = turn(matcher, state, "是zf规定必须发的吗", "安徽省安庆市宜秀区")
    assert asked.entry.id == "anqing-yixiu-company-red-packet"      # whether employers must: still theirs


def test_money_for_work_not_settled_is_wages_owed(matcher: Matcher) -> None:
    result = matcher.match("去年那个项目还有八千块钱没结 能不能在这边告", "上海市嘉定区")
    assert (result.intent, result.entry.id) == ("legal_aid", "shanghai-wage-arrears-clearance")


@pytest.mark.parametrize("text", ["才50个 轮不到我 笑死", "抖音我天天刷 原来还能找工作 涨知识了", "老了老了 一身都是毛病 哈哈", "五十岁的人了 还要从头找活路 唉",
                                  "厂里妹子都回去了 就剩我们几个光棍 😂", "我老婆说上饶那边年味比这边重多了 哈哈"])
def test_a_remark_that_laughs_at_the_answer_is_no_follow_up_and_no_greeting(matcher: Matcher, text: str) -> None:
    result, _ = _after(matcher, "桐城有招聘会没 想换个厂", text, "安徽省安庆市桐城市")
    assert result.kind == "out_of_scope"


def test_a_question_typed_with_an_emoji_and_a_dialect_question_word_is_still_asked(matcher: Matcher) -> None:
    result, _ = _after(matcher, "在福州 过年不回 有红包吗", "饭店过年不关门 我要上班🙃 加班费咋算", None)
    assert (result.intent, result.entry.id) == ("wage_rights", "national-overtime-statutory-holiday")


def test_where_someone_else_works_is_their_case_when_asking_if_they_may_have_it_too(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "我在迎江电子厂上班 留下来过年政府补贴多少钱", "安徽省安庆市迎江区")
    result, _ = turn(matcher, state, "我对象在大观那边超市当收银员她留下来能不能也领一份", "安徽省安庆市迎江区")
    assert (result.intent, result.entry.id) == ("red_packet", "anqing-daguan-subsidy-1000")     # not 超市 prices


@pytest.mark.parametrize("then", ["她户口也是四川的 又不是啥子风险区", "她屋头是南充的 又不是啥子风险区"])
def test_telling_ones_case_in_other_words_than_the_cards_keeps_the_measure(matcher: Matcher, then: str) -> None:
    _, state = turn(matcher, State(), "桐城留下来过年补贴多少", "安徽省安庆市桐城市")
    result, _ = turn(matcher, state, then, "安徽省安庆市桐城市")
    assert (result.kind, result.entry.id) == ("followup", "anqing-tongcheng-subsidy-1000")     # 风险区 is 风险地区


def test_bringing_someone_from_elsewhere_along_asks_about_the_same_meal_here(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "工地过年不停工 听说工会管年夜饭 真的假的", "福建省福州市晋安区")
    result, state = turn(matcher, state, "女盆友在仓山上班 能带她去不", "福建省福州市晋安区")
    assert (result.kind, result.aspect, result.entry.id) == ("followup", "family", "jinan-union-new-year-meal")
    result, state = turn(matcher, state, "外卖小哥除夕夜还在跑单 真不容易", "福建省福州市晋安区")
    assert result.kind == "out_of_scope"          # a remark of sympathy, no question


@pytest.mark.parametrize(("text", "entry"), [("要是工会没安排 我自己点外卖有优惠没", "jinan-eleme-new-year-meal"),
                                             ("晋安电影院过年有啥优惠不", "jinan-cinema-bookstore-deals")])
def test_a_deal_on_a_thing_named_is_that_things_measure_not_an_overview(matcher: Matcher, text: str, entry: str) -> None:
    result = matcher.match(text, "福建省福州市晋安区")
    assert (result.kind, result.entry.id) == ("measure", entry)


@pytest.mark.parametrize("then", ["我们是保洁公司派过来的 哪有啥子工会 笑死人", "我们那个村干部一年到头都见不到几回😂"])
def test_a_rhetorical_question_word_laughed_at_is_a_remark(matcher: Matcher, then: str) -> None:
    result, _ = _after(matcher, "麒麟区过年困难的有人管没", then, "云南省曲靖市麒麟区")
    assert result.kind == "out_of_scope"      # 哪有啥: there is none; 见不到几回: hardly ever


def test_asking_whether_what_someone_said_is_true_seeks_the_measure(matcher: Matcher) -> None:
    result = matcher.match("我雇主家老太太说王庄那边过年有体检 是真的不", "福建省福州市晋安区")
    assert (result.intent, result.entry.id) == ("health_check", "jinan-wangzhuang-checkup")


def test_a_turn_about_someone_spoken_of_before_is_for_their_place_and_the_next_about_me_is_mine(
        matcher: Matcher, tmp_path) -> None:
    """我儿子在芙蓉区 … then 他过年加班有补助吗: for him, in 芙蓉区; then 年三十我一个人…: back where
    the worker is. Where he is is kept with the conversation in the database."""
    from intents.assistant import Assistant
    from knowledge import open_db
    from knowledge.users import Users

    users = Users(open_db(tmp_path / "bot.db"))
    assistant = Assistant(matcher, users)
    users.set_region(7, "上海市宝山区")
    assistant.ask(7, "我是宝山扫马路的 过年有没有地方歇歇脚")
    assistant.ask(7, "我儿子在长沙芙蓉区也是干环卫的 他那边给外省的环卫工发钱不")
    assert users.get(7).someone_region == "湖南省长沙市芙蓉区"
    his = assistant.ask(7, "他过年加班有补助吗").result
    assert (his.region, his.entry.id) == ("湖南省长沙市芙蓉区", "furong-frontline-overtime-allowance")
    mine = assistant.ask(7, "那我自己过年加班几倍工资").result
    assert (mine.region, mine.entry.id) == ("上海市宝山区", "shanghai-overtime-pay")
    users.forget(7)
    assert users.get(7).someone_region is None


@pytest.mark.parametrize(("region", "first", "then"), [
    ("上海市松江区", "我在松江服装厂 儿子8岁在怀宁平山镇跟他爷爷 孩子放寒假没人管 老家那边有没有人能帮着照看下",
     "孩子爷爷也七十多了 身体不好 有没有人上门看看老人"),
    (None, "我是平山镇大墩村的 在苏州厂里 过年不回 两个伢在屋里跟奶奶 有人管没", "奶奶年纪大了身体也不好 有没有人去屋里看看"),
])
def test_the_old_people_at_home_after_the_childrens_care_there_get_the_home_places_measure_for_them(
        matcher: Matcher, region: str | None, first: str, then: str) -> None:
    _, state = turn(matcher, State(), first, region)
    result, _ = turn(matcher, state, then, region)
    assert (result.entry.id, result.region) == ("anqing-huaining-volunteers", "安徽省安庆市怀宁县")


def test_a_parent_asking_about_a_son_elsewhere_keeps_to_his_place_for_turns_about_him(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "俺儿在长沙芙蓉区隆平那边厂里上班 今年不回来 听说厂里给家属送年货 是真的不", None)
    _, state = turn(matcher, state, "俺老两口在河南农村 过年没人来看 村里管不管", None)
    meal, state = turn(matcher, state, "俺儿在那边过年吃啥 有人管饭不", None)
    pay, _ = turn(matcher, state, "他说初一还要上班 给钱不", None)
    assert (meal.entry.id, pay.entry.id) == ("furong-new-year-meal-delivery", "furong-overtime-pay")


def test_with_no_place_known_a_care_question_after_the_family_at_home_is_for_that_home(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "我家在晋安北峰 现在在上海饭店打工 过年回不去 我爸腿脚残疾一个人在家 有没有人能上门帮帮忙", None)
    result, _ = turn(matcher, state, "听说残疾人过年有慰问金 是多少", None)
    assert (result.entry.id, result.region) == ("jinan-disabled-1000", "福建省福州市晋安区")
    assert matcher.match("听说残疾人过年有慰问金 是多少").kind == "ask_region"      # (asked first: where?)


@pytest.mark.parametrize(("text", "region"), [("过完年想回安庆找活 有招聘会吗", "安徽省安庆市"),
                                              ("我在上海打工 过年不回安庆 这边有招聘会吗", "上海市"),
                                              ("不想回安庆找活了 上海有招聘会吗", "上海市"), ("回不去安庆找活", "上海市"),
                                              ("去年在安庆打工 今年在上海找个活", "上海市")])
def test_work_is_sought_where_the_worker_goes_to_look_for_it(matcher: Matcher, text: str, region: str) -> None:
    result = matcher.match(text, "上海市")
    assert (result.intent, result.region) == ("jobs", region)


def test_new_banknotes_for_lucky_money_are_the_banks_new_cash_service(matcher: Matcher) -> None:
    result, _ = _after(matcher, "安庆过年超市开门吗", "想换点新票子给东家小孩包压岁钱 哪里能换", "安徽省安庆市")
    assert result.entry.id == "anqing-banks-new-cash-service"     # 新票子 is 新钞; 压岁钱 alone is no measure


def test_a_turn_about_what_someone_did_to_the_worker_stays_where_the_worker_is(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "过年加班费咋算", "上海市")
    _, state = turn(matcher, state, "我儿子在芙蓉区上班 留下有红包吗", "上海市")
    his, _ = turn(matcher, state, "那他加班费咋算", "上海市")
    owed, _ = turn(matcher, state, "他欠我三个月工资不给 咋办", "上海市")
    assert (his.region, owed.region) == ("湖南省长沙市芙蓉区", "上海市")


@pytest.mark.parametrize(("text", "kind"), [("88", "greeting"), ("是88吗", "followup")])
def test_88_is_goodbye_only_on_its_own(matcher: Matcher, text: str, kind: str) -> None:
    result, _ = _after(matcher, "迎江留下有补贴吗", text, "安徽省安庆市迎江区")
    assert result.kind == kind


@pytest.mark.parametrize(("text", "kind"), [("流量怎么领", "ask_region"), ("以工代训延长到啥时候", "measure")])
def test_a_bare_topic_worded_like_one_places_question_asks_where_and_a_specific_one_names_it(
        matcher: Matcher, text: str, kind: str) -> None:
    assert matcher.match(text).kind == kind        # (流量怎么领 is 芙蓉's question word for word)


def test_haoduo_alone_after_a_measure_asks_how_much(matcher: Matcher) -> None:
    result, _ = _after(matcher, "我们这个工地是国企的项目 过年留下有额外补贴没", "好多", "上海市闵行区")
    assert (result.kind, result.aspect, result.entry.id) == ("followup", "amount", "shanghai-soe-extra-subsidy")


def test_money_said_in_yuan_names_no_measure_given_as_a_share(matcher: Matcher) -> None:
    result, _ = _after(matcher, "老板过年把宿舍锁了 我没地方住咋整", "身上就剩两百块了 工会能救个急不", None)
    assert result.intent == "hardship_relief"        # not overtime pay's 200%


@pytest.mark.parametrize(("text", "entry"), [
    ("我是安庆人 在深圳工地上干活 老家网格员老打电话问我过年回不回 这是干啥", "anqing-city-natives-outside-grid"),
    ("我是潜山人，在温州打工今年不回家了 听说潜山在外地有服务站 能帮我们啥", "anqing-qianshan-outside-service-station"),
    # (上海 has help points of its own, but the worker asks what the home place has.)
    ("我是潜山人 在松江服装厂 今年不回了 听说老家有个驻外服务站 是干啥的", "anqing-qianshan-outside-service-station")])
def test_a_worker_away_from_home_gets_what_the_home_place_does_for_its_people_away(
        matcher: Matcher, text: str, entry: str) -> None:
    result = matcher.match(text, None)
    assert (result.entry.id, result.home) == (entry, True)


def test_where_someone_else_is_answers_that_turn_and_the_next_topic_is_back_where_the_worker_is(
        matcher: Matcher) -> None:
    saved = "云南省曲靖市麒麟区"
    _, state = turn(matcher, State(), "老板说年三十到初六都要开门 加班费咋个算", saved)
    there, state = turn(matcher, state, "我兄弟在宣威一个厂 他们过年上班也是三倍不", saved)
    assert (there.region, there.elsewhere) == ("云南省曲靖市宣威市", True)
    back, _ = turn(matcher, state, "还有个事 老板说生意不好年后可能要裁几个 这样搞合法不", saved)
    assert back.region == saved


def test_a_weak_word_of_another_topic_the_model_leans_to_starts_that_topic(matcher: Matcher) -> None:
    result, _ = _after(matcher, "厂里会发年货不", "过年食堂开不开 不开我就得天天泡面了", "上海市")
    assert (result.intent, result.entry.id) == ("accommodation", "shanghai-meals-lodging")


def test_a_count_of_people_names_no_measure_by_its_amount(matcher: Matcher) -> None:
    region = "安徽省安庆市桐城市"
    result, _ = _after(matcher, "俺在桐城一个包装厂 老家石家庄那边是高风险 听说留桐过节给一千块", "俺们厂三百来号人 算规上不", region)
    assert (result.intent, result.entry.id) == ("red_packet", "anqing-tongcheng-subsidy-1000")   # not 300% overtime


def test_a_stall_seen_at_the_station_is_the_service_point_there(matcher: Matcher) -> None:
    result = matcher.match("刚从苏州回来 在高铁站看到个摊子讲稳岗留工 是干啥的", "安徽省安庆市经济技术开发区")
    assert (result.intent, result.entry.id) == ("service_station", "anqing-jingkai-hsr-service-zone")


def test_a_short_aspect_with_a_weak_word_of_another_topic_is_a_follow_up(matcher: Matcher) -> None:
    result, _ = _after(matcher, "晋安工会过年有慰问金吗", "工会电话多少", "福建省福州市晋安区")
    assert (result.kind, result.intent, result.aspect) == ("followup", "red_packet", "contact")


def test_a_region_switch_whose_words_name_the_places_own_measure_leaves_the_national_rule(matcher: Matcher) -> None:
    result, _ = _after(matcher, "平时晚上加班 加班费咋算", "下个月去上海上班 上海春节加班也一样吗", None)
    assert (result.entry.id, result.region) == ("shanghai-overtime-pay", "上海市")


def test_a_region_switch_from_a_national_rule_finds_the_places_own_measure_on_the_topic(matcher: Matcher) -> None:
    result, _ = _after(matcher, "在杭州送快递的 老板压着工资不发", "我老婆在上海做保洁 她也被欠了两个月", None)
    assert (result.entry.id, result.region) == ("shanghai-wage-arrears-clearance", "上海市")


def test_an_amount_asked_for_someone_elsewhere_is_asked_about_that_place(matcher: Matcher) -> None:
    saved = "安徽省安庆市迎江区"
    _, state = turn(matcher, State(), "在迎江开发区厂里上班 户口江西的 今年不回去能领多少", saved)
    _, state = turn(matcher, state, "听说厂里还另外给一笔?", saved)
    result, _ = turn(matcher, state, "我表弟在宜秀那边开发区上班 他也能拿2000不", saved)
    assert (result.region, result.entry.region) == ("安徽省安庆市宜秀区", "安徽省安庆市宜秀区")


def test_a_remark_with_a_laughing_emoji_that_asks_nothing_is_chit_chat(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "饿了么上有年夜饭优惠吗", "福建省福州市晋安区")
    result, _ = turn(matcher, state, "我自己就是送饿了么的😂 过年还得给别人送年夜饭", "福建省福州市晋安区")
    assert result.kind == "out_of_scope"
    asked, _ = turn(matcher, state, "我自己就是送饿了么的😂 我能领吗", "福建省福州市晋安区")
    assert asked.intent == "new_year_meal"             # a question with the laugh is still a question


def test_a_worker_is_offered_to_save_only_a_place_where_they_are(matcher: Matcher, tmp_path) -> None:
    """A home place answered for (我是安庆人 在深圳打工) or where someone else is (我兄弟在宣威)
    is not offered as the worker's region; a place the worker says they are in is."""
    from intents.assistant import Assistant
    from knowledge import open_db
    from knowledge.users import Users

    assistant = Assistant(matcher, Users(open_db(tmp_path / "bot.db")))
    home = assistant.ask(8, "我是安庆人 在深圳工地上干活 老家网格员老打电话问我过年回不回 这是干啥")
    assert (home.result.region, home.offer_region) == ("安徽省安庆市", None)
    other = assistant.ask(9, "我兄弟在宣威一个厂 他们过年上班是三倍不")
    assert other.offer_region is None
    here = assistant.ask(10, "我在桐城上班 过年加班费咋算")
    assert here.offer_region == "安徽省安庆市桐城市"


@pytest.mark.parametrize(("text", "entry", "left_out"), [
    ("我是邵阳的 在芙蓉区物业做保安 留下过年那个600块钱我有没有份", "furong-hunan-staff-subsidy", "非湖南籍"),
    ("我是湘西的 在芙蓉区上班 留长礼包我有份冇", "furong-hunan-staff-subsidy", "非湖南籍"),
    ("我是桐城人 在宜秀开发区上班 那个1000有没有", "anqing-yixiu-company-red-packet", "省外"),
])
def test_a_worker_from_the_province_a_measure_leaves_out_gets_what_is_for_them_and_is_told_why(
        matcher: Matcher, text: str, entry: str, left_out: str) -> None:
    result = matcher.match(text, None)
    assert result.entry.id == entry
    assert left_out in reply_text(result, matcher.gazetteer, dt.date(2026, 11, 23)).split("\n")[1]


def test_a_worker_from_another_province_gets_the_measure_they_asked_for(matcher: Matcher) -> None:
    result = matcher.match("我江西的 在芙蓉区上班 那个600块我能领不", None)
    assert (result.entry.id, result.left_out) == ("furong-red-600", None)


def test_a_region_switch_lists_the_new_places_other_measures_with_their_amounts(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "我在太湖县上班 这边过年有补贴吗", None)
    result, _ = turn(matcher, state, "那宜秀呢 我表哥在宜秀开发区", None)
    text = reply_text(result, matcher.gazetteer, dt.date(2026, 11, 23))
    assert (result.kind, result.region) == ("followup", "安徽省安庆市宜秀区")
    assert "同一地区还有" in text and "每人1000元" in text and "500-1000元" in text


@pytest.mark.parametrize(("answer", "intent"), [
    ("长沙芙蓉区 外省的 刚过来找活", "accommodation"),    # where, and who they are: the question asked before
    ("长沙芙蓉区 有招聘会吗", "jobs"),                     # where, and a new question
])
def test_naming_the_place_we_asked_for_answers_the_question_asked_before_unless_it_asks_another(
        matcher: Matcher, answer: str, intent: str) -> None:
    first, state = turn(matcher, State(), "兄弟 过年不回去了 有没有便宜或者免费住的地方", None)
    assert first.kind == "ask_region"
    result, _ = turn(matcher, state, answer, None)
    assert (result.intent, result.region) == (intent, "湖南省长沙市芙蓉区")


@pytest.mark.parametrize("text", ["我们厂天天下班了还要加班到晚上十点 这个加班的钱是咋算的", "一个号头加了五六十个钟头 合法伐"])
def test_overtime_said_in_other_words_is_overtime(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "安徽省安庆市迎江区").intent == "wage_rights"


def test_a_part_of_a_measure_that_is_a_measure_of_its_own_gets_its_own_card(matcher: Matcher) -> None:
    result, _ = _after(matcher, "晋安那个免费住宿套餐咋申请", "套餐里头那个中医体质检测是啥子", "福建省福州市晋安区")
    assert (result.intent, result.entry.id) == ("health_check", "jinan-tcm-constitution-check")


@pytest.mark.parametrize(("text", "saved", "entry"), [
    ("我老家北峰的 在嘉定汽配厂 今年回不去 屋里两个老的谁去看看", None, "jinan-left-behind-visit"),
    ("我在厦门打工过年回不去 我妈是残疾人一个人在晋安家里 有没有人能上门帮忙", "福建省福州市晋安区",
     "jinan-disabled-home-help"),
])
def test_a_worker_away_from_home_gets_the_home_places_care_for_families_of_workers_away(
        matcher: Matcher, text: str, saved: str | None, entry: str) -> None:
    assert matcher.match(text, saved).entry.id == entry


@pytest.mark.parametrize(("text", "entry"), [
    ("有没有专门管工资社保的热线 想咨询下", "national-hotline-12333"),      # the card of 12333 names 工资 and 社保
    ("社保的问题是要找谁问啦，有没有一个电话可以打厚", "national-hotline-12333"),
])
def test_a_hotline_asked_for_about_something_is_the_one_whose_card_names_it(
        matcher: Matcher, text: str, entry: str) -> None:
    assert matcher.match(text, None).entry.id == entry


def test_a_general_help_line_asked_for_about_nothing_in_particular_stays_general(matcher: Matcher) -> None:
    assert matcher.match("过年有啥事找谁 有没有电话", None).intent == "service_station"


def test_someone_elsewhere_coming_over_is_asked_about_where_the_worker_is(matcher: Matcher) -> None:
    result, _ = _after(matcher, "晋安这边有免费理疗没 腰疼", "我老公在仓山那边上班 也是外地的 他能过来做吗",
                       "福建省福州市晋安区")
    assert (result.entry.id, result.region) == ("jinan-free-tcm-therapy", "福建省福州市晋安区")


def test_a_follow_up_also_shows_what_the_places_other_measures_of_the_topic_say_about_it(matcher: Matcher) -> None:
    result, _ = _after(matcher, "老板欠工资 安庆这边去哪投诉", "要带啥材料", "安徽省安庆市迎江区")
    text = reply_text(result, matcher.gazetteer, dt.date(2026, 11, 23))
    assert (result.kind, result.entry.id) == ("followup", "anqing-legal-aid-onsite-campaign")
    assert "通知里没有写需要带哪些材料" in text                   # this measure does not say
    assert "同一地区同类的还有" in text and "在当地过年的证明" in text   # the means-test waiver does


def test_a_follow_up_without_a_part_asked_lists_no_other_measures(matcher: Matcher) -> None:
    result, _ = _after(matcher, "老板欠工资 安庆这边去哪投诉", "还有别的不", "安徽省安庆市迎江区")
    assert result.stating == []


def test_a_question_that_asks_a_part_lists_what_the_places_other_measures_say_about_it(matcher: Matcher) -> None:
    result = matcher.match("麒麟区小卖部过年乱涨价 打啥电话", None)
    text = reply_text(result, matcher.gazetteer, dt.date(2026, 11, 23))
    assert (result.kind, result.aspect) == ("measure", "contact")
    assert "• 春节价格监督检查和价格投诉——联系：" in text and "12315" in text


@pytest.mark.parametrize(("text", "region"), [("留宜过年 有啥好处", "安徽省安庆市"),
                                              ("在上海打工不回老家 有啥奖励吗", "上海市")])
def test_what_staying_brings_is_an_overview_not_the_epidemic_rules_of_staying(
        matcher: Matcher, text: str, region: str) -> None:
    result = matcher.match(text, region)
    assert (result.kind, result.intent) == ("overview", "red_packet")
    assert all(e.intent != "epidemic_prevention" for e in result.entries[:3])


def test_someone_elsewhere_named_with_a_topic_word_of_chit_chat_switches_the_region(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "三十晚上下班都九点了 外面有没有卖现成年夜饭的", "湖南省长沙市芙蓉区")
    result, _ = turn(matcher, state, "我男朋友在福州晋安 他那边呢", "湖南省长沙市芙蓉区")
    assert (result.intent, result.region, result.entry.id) == (
        "new_year_meal", "福建省福州市晋安区", "jinan-eleme-new-year-meal")


def test_a_taste_cue_beside_the_district_asking_seeks_the_districts_measure(matcher: Matcher) -> None:
    result = matcher.match("宜秀这边的厂里过年不回家 区里是不是让老板发红包 一般多少")
    assert (result.kind, result.entry.id) == ("measure", "anqing-yixiu-company-red-packet")
    assert matcher.match("过年给爸妈包红包一般多少").kind == "out_of_scope"


def test_the_office_a_card_says_to_call_asked_for_is_that_cards_contact(matcher: Matcher) -> None:
    region = "安徽省安庆市宜秀区"
    first, state = turn(matcher, State(), "宜秀这边企业发的过年红包有多少", region)
    result, _ = turn(matcher, state, "人社那边电话多少", region)
    assert (result.kind, result.entry.id) == ("followup", first.entry.id)
    assert "12333" in reply_text(result, matcher.gazetteer, TODAY)


def test_being_overcharged_said_plainly_is_a_price_complaint(matcher: Matcher) -> None:
    result = matcher.match("打车被宰了 司机多收我30 咋投诉", "福建省福州市晋安区")
    assert (result.intent, result.entry.id) == ("prices_supplies", "jinan-price-complaint")


def test_whether_a_payment_is_a_rule_or_the_employers_own_is_asked_of_the_measure(matcher: Matcher) -> None:
    result = matcher.match("项目部说今年过年工地不停 给留下的人额外补一笔 这个是上头规定的还是项目部自己定的", "上海市松江区")
    assert (result.kind, result.intent) == ("measure", "red_packet")


@pytest.mark.parametrize("text", ["支付宝咋交电费", "入职体检前要空腹不", "年货买什么坚果好"])
def test_a_short_name_heard_inside_an_everyday_question_does_not_make_it_a_measures(
        matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "福建省福州市晋安区").kind == "out_of_scope"


def test_a_measure_of_another_topic_that_says_the_words_answers_when_the_first_topic_says_none(
        matcher: Matcher) -> None:
    result = matcher.match("公司会不会帮我给老家爸妈送点年货", "湖南省长沙市芙蓉区")
    assert (result.kind, result.entry.id) == ("measure", "furong-new-year-goods-subsidy")
    assert matcher.match("初一初二放两天 曲靖有啥好玩的", "云南省曲靖市麒麟区").intent == "culture_leisure"


def test_with_no_card_shown_a_turn_the_model_is_sure_is_another_topic_is_a_new_question(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "广州这边留下过年有没有红包拿", None)
    result, _ = turn(matcher, state, "政府那个啥都能问的热线是多少来着", None)
    assert (result.intent, result.entry.id) == ("service_station", "national-hotline-12345")


def test_the_amount_of_the_measure_before_the_last_one_goes_back_to_it(matcher: Matcher) -> None:
    region, state = "安徽省安庆市大观区", State()
    for text in ["在大观区一个大厂干活 留下给多少钱", "家里老妈想看看我 能不能整张拜年照片给她发过去", "在哪整"]:
        _, state = turn(matcher, state, text, region)
    result, _ = turn(matcher, state, "再问一下那一千块 找谁申请", region)
    assert (result.kind, result.entry.id) == ("followup", "anqing-daguan-subsidy-1000")
    assert "大观区人社部门" in reply_text(result, matcher.gazetteer, TODAY)


def test_a_bare_figure_is_money_not_a_share_of_wages(matcher: Matcher) -> None:
    region = "安徽省安庆市宜秀区"
    _, state = turn(matcher, State(), "不是政府给的 我问的是厂里发的红包", region)
    result, _ = turn(matcher, state, "厂里说只给300 能找他多要点吗", region)
    assert (result.intent, result.entry.id) == ("red_packet", "anqing-yixiu-company-red-packet")


def test_a_region_switch_after_an_overview_is_the_overview_there(matcher: Matcher) -> None:
    first, state = turn(matcher, State(), "迎江这边留下过年有啥福利", "安徽省安庆市迎江区")
    assert first.kind == "overview"
    result, _ = turn(matcher, state, "那桐城呢", "安徽省安庆市迎江区")
    assert (result.kind, result.region) == ("overview", "安徽省安庆市桐城市")
    assert "anqing-tongcheng-subsidy-1000" in [e.id for e in result.entries]


def test_what_one_can_get_asked_before_another_clause_is_a_general_question(matcher: Matcher) -> None:
    result = matcher.match("江西人 留长沙过年都能领些啥 一次说清楚", "湖南省长沙市芙蓉区")
    assert result.kind == "overview" and "furong-red-600" in [e.id for e in result.entries]


def test_a_work_injury_the_boss_will_not_own_is_a_legal_aid_question(matcher: Matcher) -> None:
    assert matcher.match("切菜把手划了 这算工伤吗 老板说是我自己不小心 不管").intent == "legal_aid"


def test_a_laugh_typed_twice_marks_a_remark_mid_conversation(matcher: Matcher) -> None:
    _, state = turn(matcher, State(), "过年能不能给老家拍张全家福寄回去", "安徽省安庆市大观区")
    result, _ = turn(matcher, state, "发啥都行 别光拍照就走了 哈哈", "安徽省安庆市大观区")
    assert result.kind == "out_of_scope"


def test_an_overview_lists_covid_era_measures_after_others_like_them_and_says_they_no_longer_apply(
        matcher: Matcher) -> None:
    result = matcher.match("晋安留下过年有啥福利", "福建省福州市晋安区")
    assert result.kind == "overview" and result.entries[0].kind != "historical"
    assert "jinan-free-masks" not in [e.id for e in result.entries[:3]]
    masks = matcher.index.entries["jinan-free-masks"]
    assert masks.kind == "historical"
    result.entries = [*result.entries[:3], masks]
    line = next(x for x in reply_text(result, matcher.gazetteer, TODAY).split("\n") if masks.title in x)
    assert line.endswith("（疫情期间的，已不再执行）")


@pytest.mark.parametrize("said", ["你好，{}", "请问{}", "我想问一下 {}", "那个，{}", "{} 谢谢", "您好！{}谢谢了"])
def test_a_hello_or_thanks_around_a_turn_does_not_change_what_it_asks(matcher: Matcher, said: str) -> None:
    saved = "湖南省长沙市芙蓉区"
    _, state = turn(matcher, State(), "留在长沙过年有红包吗", saved)
    result, _ = turn(matcher, state, said.format("我们众包的 没单位啊"), saved)
    assert (result.kind, result.intent) == ("followup", "red_packet")
    asked, _ = turn(matcher, state, said.format("找哪个"), saved)
    assert (asked.kind, asked.intent, asked.aspect) == ("followup", "red_packet", "contact")


@pytest.mark.parametrize("said", ["好 我先打电话问问 谢谢", "nb 谢谢", "你好你好 🙏 第一次用这个", "那个 好的"])
def test_thanks_beside_a_remark_stays_thanks(matcher: Matcher, said: str) -> None:
    _, state = turn(matcher, State(), "留在长沙过年有红包吗", "湖南省长沙市芙蓉区")
    result, _ = turn(matcher, state, said, "湖南省长沙市芙蓉区")
    assert result.kind == "greeting"


def test_a_laughing_emoji_beside_a_question_mark_still_asks(matcher: Matcher) -> None:
    result, _ = _after(matcher, "芙蓉区有网上招聘会吗", "面试也在手机上？😂", "湖南省长沙市芙蓉区")
    assert result.intent == "jobs"


def test_what_a_worker_heard_there_is_asks_for_it_even_with_a_laugh(matcher: Matcher) -> None:
    result, _ = _after(matcher, "过年有红包吗", "我住王庄那边 听说街道也搞体检😂", "福建省福州市晋安区")
    assert result.intent == "health_check"


def test_where_the_worker_works_is_kept_when_the_first_answer_was_for_home(matcher: Matcher) -> None:
    result, state = turn(matcher, State(), "我是怀宁的 在上海工地干活 娃在老家跟奶奶 过年有人照看不", None)
    assert (result.intent, result.region) == ("family_care", "安徽省安庆市怀宁县")
    later, _ = turn(matcher, state, "我这边工地过年有人来慰问不", None)
    assert (later.intent, later.region) == ("red_packet", "上海市")


def test_another_topics_word_the_model_leans_to_is_a_new_topic_even_beside_a_stronger_one(matcher: Matcher) -> None:
    result = _last(matcher, ["过年一个人有啥地方耍", "景区要预约不", "我想给我妈寄点火腿回去 快递过年收不收"],
                   "云南省曲靖市麒麟区")
    assert (result.kind, result.intent) == ("measure", "family_care")


def test_a_short_statement_of_who_in_the_measures_words_follows_it_up(matcher: Matcher) -> None:
    result, _ = _after(matcher, "安庆过年送流量吗", "我用的是联通", "安徽省安庆市迎江区")
    assert (result.kind, result.entry.id) == ("followup", "anqing-telecom-10gb")


def test_a_place_told_in_the_conversation_is_kept_after_someone_elses_place(matcher: Matcher) -> None:
    result = _last(matcher, ["我在福州晋安上班 过年有红包吗", "我表哥在仓山开车 他有没有", "我自己过年想去做个免费体检 去哪做"],
                   None)
    assert (result.intent, result.region) == ("health_check", "福建省福州市晋安区")


@pytest.mark.parametrize("text", ["你好，哈尔滨过年有啥活动", "你好啊 哈尔滨过年有啥活动"])
def test_a_hello_takes_no_part_of_the_word_after_it(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert (result.kind, result.region) == ("no_local", "黑龙江省哈尔滨市")


def test_a_place_before_someone_of_theirs_is_that_persons_place_not_the_workers(matcher: Matcher) -> None:
    result = _last(matcher, ["我在麒麟区上班 过年有红包吗", "想给昆明的姐姐寄点东西", "过年带娃去哪耍 公园开不开"], None)
    assert (result.intent, result.region) == ("culture_leisure", "云南省曲靖市麒麟区")


def test_where_the_worker_says_they_are_is_kept_from_a_turn_that_asks_nothing(matcher: Matcher) -> None:
    result, _ = _after(matcher, "我在长沙芙蓉区 宿舍楼下那家米粉店太好吃了", "过年有红包不", None)
    assert (result.intent, result.region) == ("red_packet", "湖南省长沙市芙蓉区")


def test_a_roommate_from_another_province_keeps_the_question_where_the_worker_is(matcher: Matcher) -> None:
    result = matcher.match("我室友是江西的 租的房子到期了 过年有没有免费住的地方", "湖南省长沙市芙蓉区")
    assert (result.intent, result.region, result.entry.id) == ("accommodation", "湖南省长沙市芙蓉区", "furong-youth-station")


def test_care_for_a_child_at_home_is_the_home_places_even_where_the_worker_works_has_family_measures(
        matcher: Matcher) -> None:
    result = matcher.match("我在大观区超市上班 过年走不开 小孩在怀宁老家没人照顾", "安徽省安庆市大观区")
    assert (result.region, result.entry.id) == ("安徽省安庆市怀宁县", "anqing-huaining-children-home")


def test_after_care_at_home_a_family_measure_where_the_worker_is_is_found_there(matcher: Matcher) -> None:
    first, then = "在晋安打工 老家桐城的爸妈年纪大了没人照应 那边有人管吗", "公司能帮忙把年货寄回家不"
    result, _ = _after(matcher, first, then, "福建省福州市晋安区")
    assert result.entry.id == "jinan-mail-new-year-goods"


def test_a_measure_named_by_its_words_a_character_apart_answers_mid_conversation(matcher: Matcher) -> None:
    result, _ = _after(matcher, "芙蓉区过年送流量吗", "那工会的券呢", "湖南省长沙市芙蓉区")
    assert (result.kind, result.entry.id) == ("measure", "furong-union-voucher-200")


def test_a_word_only_another_measure_is_built_on_moves_to_it_though_the_turn_also_says_the_previous_ones(
        matcher: Matcher) -> None:
    result, _ = _after(matcher, "老板欠了我三个月工资怎么办", "工资到现在还没发 能不能去申请仲裁", None)
    assert result.entry.id == "national-labour-arbitration"


def test_said_to_go_back_a_weak_word_of_the_earlier_measure_goes_back_to_it(matcher: Matcher) -> None:
    result = _last(matcher, ["我在晋安养老院当护工 过年留院里有补贴吗", "过年有免费理疗吗 腰疼", "说回那个补贴 去哪个部门问"],
                   "福建省福州市晋安区")
    assert (result.kind, result.entry.id) == ("followup", "jinan-eldercare-staff-bonus")


def test_a_general_question_asked_before_the_place_was_known_gets_the_overview_there(matcher: Matcher) -> None:
    first, state = turn(matcher, State(), "今年不回老家了 留下来都有些啥好处", None)
    result, _ = turn(matcher, state, "在福州晋安 做鞋的", None)
    assert first.kind == "ask_region"
    assert (result.kind, result.region) == ("overview", "福建省福州市晋安区")


def test_a_turn_that_asks_whom_to_call_in_two_ways_follows_up_the_card(matcher: Matcher) -> None:
    result, _ = _after(matcher, "工地过年不停工 三十晚上有年夜饭吃不", "这事找谁问 给个电话呗", "福建省福州市晋安区")
    assert (result.kind, result.intent, result.aspect) == ("followup", "new_year_meal", "contact")


@pytest.mark.parametrize(("text", "intent"), [("过年想回趟老家 这边让走不", "epidemic_prevention"),
                                              ("在麒麟送快递 过年想回去看看我妈 能走不", "epidemic_prevention"),
                                              ("下班了能走不", "out_of_scope")])
def test_whether_one_may_leave_to_go_home_is_the_rules_of_staying(matcher: Matcher, text: str, intent: str) -> None:
    assert matcher.match(text, "云南省曲靖市麒麟区").intent == intent


@pytest.mark.parametrize("text", ["今年不回老家 我们能享受到啥", "留在这边过年的外地人 区里都安排了些什么"])
def test_what_is_arranged_or_enjoyed_by_those_who_stay_is_a_general_question(matcher: Matcher, text: str) -> None:
    result = matcher.match(text, "湖南省长沙市芙蓉区")
    assert (result.kind, result.region) == ("overview", "湖南省长沙市芙蓉区")


@pytest.mark.parametrize("text", ["找工作的app 快手和抖音哪个更靠谱", "春运的票几号放票 几点开抢", "图书馆门口好停车不"])
def test_which_is_reliable_when_tickets_go_on_sale_and_where_to_park_are_advice(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "安徽省安庆市").intent == "out_of_scope"


def test_when_asked_the_card_says_both_its_dates_and_whom_it_says_to_ask_for_the_time(matcher: Matcher) -> None:
    result, _ = _after(matcher, "芙蓉区过年有免费体检吗", "哪天去做", "湖南省长沙市芙蓉区")
    answer = reply_text(result, matcher.gazetteer, TODAY)
    assert (result.aspect, result.entry.id) == ("validity", "furong-free-checkup")
    assert "👉 时间：2021年2月1日至2021年3月31日；具体时间问单位或社区" in answer


def test_asked_how_much_a_card_with_no_amount_says_in_its_own_words_who_decides(matcher: Matcher) -> None:
    result, _ = _after(matcher, "留沪过年有通讯费补贴吗", "给多少", "上海市")
    answer = reply_text(result, matcher.gazetteer, TODAY)
    assert (result.aspect, result.entry.id) == ("amount", "shanghai-phone-subsidy")
    assert "👉 金额：这是鼓励性措施，通知没有规定金额，发不发、发多少要看你所在的单位和工会。" in answer


def test_an_overview_for_a_county_without_money_of_its_own_leads_with_the_citys_money(matcher: Matcher) -> None:
    result = matcher.match("在怀宁过年 不回老家有啥好处", "安徽省安庆市怀宁县")
    assert result.kind == "overview"
    assert result.entries[0].region == "安徽省安庆市" and result.entries[0].amount
    assert "安徽省安庆市怀宁县" in {e.region for e in result.entries}


def test_how_to_set_a_delivery_time_in_an_app_is_advice_though_it_says_delivered(matcher: Matcher) -> None:
    assert matcher.match("年夜饭点外卖 饿了么上咋设置除夕五点送到", "福建省福州市晋安区").intent == "out_of_scope"
    assert matcher.match("年夜饭能送到宿舍吗", "福建省福州市晋安区").intent == "new_year_meal"


def test_a_topics_list_asked_before_the_place_stays_on_its_topic_once_the_place_is_told(matcher: Matcher) -> None:
    result, _ = _after(matcher, "找工作这块有啥政策", "我在安庆", None)
    assert result.intent == "jobs"


@pytest.mark.parametrize("text", ["转人工没出来", "回老家路上腿疼能走不"])
def test_a_person_asked_for_or_a_sore_leg_is_no_unpaid_wage_or_leave_to_go_home(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "上海市").intent == "out_of_scope"


def test_saying_going_home_is_not_going_back_to_an_earlier_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["我在晋安养老院当护工 过年留院里有补贴吗", "过年有免费理疗吗 腰疼", "老板说回家的 补贴就没了"],
                   "福建省福州市晋安区")
    assert result.kind != "followup" or result.entry.id != "jinan-eldercare-staff-bonus"


@pytest.mark.parametrize("text", ["老乡些都走了 我留在晋安工地上过年 政府有啥子给我们的没得",
                                  "社区给我们这些不回去的发了啥没有", "工地上过年 这边管不管我们", "厂里过年有啥"])
def test_what_there_is_asked_in_the_ways_a_sentence_is_built_is_a_general_question(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "福建省福州市晋安区").kind == "overview"


def test_what_is_inside_a_gift_pack_is_no_general_question(matcher: Matcher) -> None:
    assert matcher.match("礼包里有啥", "福建省福州市晋安区").kind != "overview"


@pytest.mark.parametrize("text", ["桐城留下来过年 给钱不", "不回家过年 给钱不"])
def test_the_stay_itself_names_no_measure_so_the_counties_own_money_comes_first(matcher: Matcher, text: str) -> None:
    result = matcher.match(text, "安徽省安庆市桐城市")
    assert result.entry.id == "anqing-tongcheng-subsidy-1000"
    assert "一次性1000元" in reply_text(result, matcher.gazetteer, TODAY)


def test_a_factory_closed_for_good_with_social_insurance_paid_is_unemployment_insurance(matcher: Matcher) -> None:
    result = matcher.match("厂子年前关门了 我在苏州干了三年 社保一直都交着的 现在能领点啥不")
    assert (result.intent, result.entry.id) == ("unemployment", "national-unemployment-insurance")


def test_papers_told_lost_are_no_question_about_what_to_bring(matcher: Matcher) -> None:
    result = _last(matcher, ["保安 留上海过年 有啥好处啊", "钱包被偷了 身份证银行卡全没了 这个月生活费也在里面"], "上海市徐汇区")
    assert result.intent == "hardship_relief" and result.aspect != "materials"
    asked = _last(matcher, ["上海有临时救助吗", "要带身份证吗"], "上海市徐汇区")
    assert (asked.kind, asked.aspect) == ("followup", "materials")


def test_a_remark_naming_places_asks_for_no_measure_there(matcher: Matcher) -> None:
    result = _last(matcher, ["刚从广西过来 在芙蓉区找了个活 年前还没地方落脚 有没有免费住的", "要啥条件", "长沙好冷啊 比南宁冷多了"],
                   "湖南省长沙市芙蓉区")
    assert result.intent == "out_of_scope"
    told = _last(matcher, ["晋安有免费体检吗", "我们王庄街道自己好像也有体检"], "福建省福州市晋安区")
    assert told.intent == "health_check"


def test_a_sum_left_unpaid_when_leaving_is_wages_owed_even_after_another_topic(matcher: Matcher) -> None:
    result = _last(matcher, ["桐城留下来过年 给钱不", "还有个事 去年在另外一个厂干了三个月 走的时候还有四千多没给 到现在都拖着 "
                                                "过年了能要回来不 桐城这边找哪个"], "安徽省安庆市桐城市")
    assert result.intent == "legal_aid"


def test_whom_to_ask_with_words_that_ask_nothing_more_stays_on_the_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["我在晋安一家养老院当护工 我听讲政府对我们这种有奖补 是给好多钱", "找哪个问比较清楚"], "福建省福州市晋安区")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "jinan-eldercare-staff-bonus", "contact")
    assert "区民政局" in reply_text(result, matcher.gazetteer, TODAY)


def test_what_there_is_for_a_group_of_workers_is_that_groups_measure(matcher: Matcher) -> None:
    driver = matcher.match("晋安对我们司机有啥说法", "福建省福州市晋安区")
    assert (driver.kind, driver.entry.id) == ("measure", "jinan-driver-condolence")
    sweeper = matcher.match("俺在宝山扫大街 过年环卫工有啥照顾不", "上海市宝山区")
    assert (sweeper.kind, sweeper.entry.id) == ("measure", "shanghai-outdoor-relay-station")
    anyone = matcher.match("有啥福利", "福建省福州市晋安区")
    assert anyone.kind == "overview" and len(anyone.entries) > 3


def test_whether_a_measure_gives_money_or_goods_asks_what_it_gives(matcher: Matcher) -> None:
    result = _last(matcher, ["开出租的 过年没回莆田 听说有慰问？", "慰问是给钱还是给东西"], "福建省福州市晋安区")
    assert (result.entry.id, result.aspect) == ("jinan-driver-condolence", "amount")
    assert "没写慰问的金额或物品" in reply_text(result, matcher.gazetteer, TODAY)


def test_back_to_ones_own_place_after_a_relatives_a_question_of_its_own_is_answered_there(matcher: Matcher) -> None:
    result = _last(matcher, ["在曲靖麒麟区跑网约车 本来买了回昭通的票 现在不走了 票能退不", "我舅在上海也买了票 他那边能退不",
                             "说回我自己 过年从麒麟开车出去 路上堵不堵"], None)
    assert (result.region, result.entry.id) == ("云南省曲靖市麒麟区", "qilin-road-info")


def test_after_nothing_where_someone_else_is_the_workers_own_measure_is_still_the_thread(matcher: Matcher) -> None:
    result = _last(matcher, ["流量嘞 有没得送", "我老乡在天心区餐馆头 他领得到不", "那算了 我自己那份去哪点领嘛"],
                   "湖南省长沙市芙蓉区")
    assert (result.kind, result.entry.id, result.region) == ("followup", "furong-data-20g", "湖南省长沙市芙蓉区")
    own = _last(matcher, ["老板说今年有留岗红包 到底每个人给好多嘛", "沾益那边有没得 我表哥在那点上班",
                          "我两个娃在越州乡下跟着奶奶 过年工地不停我回不去 哪个能帮忙看一哈"], "云南省曲靖市麒麟区")
    assert (own.entry.id, own.region) == ("qilin-left-behind-care", "云南省曲靖市麒麟区")


@pytest.mark.parametrize("text", ["项目部过年要是不开伙 吃饭咋整", "过年厂里管吃住不"])
def test_meals_and_a_bed_where_one_works_are_the_meals_and_lodging_measure(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "上海市浦东新区").entry.id == "shanghai-meals-lodging"


@pytest.mark.parametrize(("text", "kind_not"), [("没有啥", "overview"), ("过年留厂 老板管不管我们吃住", "overview")])
def test_nothing_or_meals_asked_of_the_boss_is_no_general_question(matcher: Matcher, text: str, kind_not: str) -> None:
    assert matcher.match(text, "安徽省安庆市").kind != kind_not


@pytest.mark.parametrize("text", ["厂里已经关门了 我没回去 有啥补贴", "补贴1000还没发", "消费券200还没给"])
def test_a_holiday_shutdown_or_a_subsidy_not_yet_paid_is_no_lost_job_or_unpaid_wage(matcher: Matcher, text: str) -> None:
    assert matcher.match(text, "安徽省安庆市").intent not in ("unemployment", "legal_aid")


@pytest.mark.parametrize(("text", "aspect"), [("那个电话找不到了", "contact"), ("名额没了吗", "eligibility")])
def test_only_papers_are_told_lost_other_parts_lost_are_still_asked(matcher: Matcher, text: str, aspect: str) -> None:
    result = _last(matcher, ["留下来有红包吗", text], "安徽省安庆市")
    assert (result.kind, result.aspect) == ("followup", aspect)


def test_asked_for_the_relative_after_nothing_where_they_are_is_still_nothing_there(matcher: Matcher) -> None:
    result = _last(matcher, ["流量嘞 有没得送", "我老乡在天心区餐馆头 他领得到不", "那他去哪领"], "湖南省长沙市芙蓉区")
    assert (result.kind, result.region) == ("no_local", "湖南省长沙市天心区")


def test_a_group_with_no_measure_of_its_own_there_is_told_so_before_all_there_is(matcher: Matcher) -> None:
    result = matcher.match("我们司机过年有啥照顾不", "云南省曲靖市麒麟区")
    answer = reply_text(result, matcher.gazetteer, TODAY)
    assert result.kind == "overview" and len(result.entries) > 3
    assert answer.splitlines()[1] == "曲靖麒麟区的通知里没有专门给司机的措施，下面是在曲靖麒麟区过年大家都能了解的："
    assert "没有专门给" not in reply_text(matcher.match("有啥福利", "云南省曲靖市麒麟区"), matcher.gazetteer, TODAY)


def test_another_measure_asked_after_one_for_someone_elsewhere_is_from_there(matcher: Matcher) -> None:
    result = _last(matcher, ["我在长沙天心区饭店帮厨 留下来过年有红包吗", "我弟在隆平园那边一个种子公司 他能领吗 就那个红包",
                             "除了600还有别的不"], None)
    assert (result.entry.id, result.entry.region) == ("furong-union-voucher-200", "湖南省长沙市芙蓉区")


def test_a_ticket_and_taking_it_back_told_in_two_clauses_asks_for_refunds(matcher: Matcher) -> None:
    result = _last(matcher, ["麒麟这边过年还能回家吗", "票都买好了 不走的话能退不"], "云南省曲靖市麒麟区")
    assert (result.intent, result.entry.id) == ("travel", "qilin-refund-rebook")


def test_asking_whether_the_employer_can_add_some_gets_what_employers_give(matcher: Matcher) -> None:
    result = _last(matcher, ["我男人生病住院了过年都没得钱用能不能申请点救助", "单位能给补点不"], "云南省曲靖市麒麟区")
    assert (result.kind, result.entry.id) == ("followup", "qilin-hardship-allowance")


def test_asking_about_there_where_a_wife_is_at_her_home_place_is_for_there(matcher: Matcher) -> None:
    result = _last(matcher, ["我在松江厂里 过年交通补贴有吗", "我老婆在宿松老家开个小店 她们那边过年买菜贵不贵 有没有平价的地方"],
                   "上海市松江区")
    assert (result.entry.id, result.region) == ("anqing-city-cheap-veg-stores", "安徽省安庆市宿松县")
    mine = _last(matcher, ["我在松江厂里 过年交通补贴有吗", "我老婆在宿松老家 她那个店关了 我们这边过年买菜贵不贵"],
                 "上海市松江区")
    assert mine.region == "上海市松江区"


def test_telling_the_home_town_when_asked_where_asks_again_where_the_worker_is(matcher: Matcher) -> None:
    state = State()
    for text in ["过年不回去的话有没有年夜饭吃啊", "我是湖南衡阳的"]:
        result, state = turn(matcher, state, text, None)
    assert (result.kind, result.intent) == ("ask_region", "new_year_meal")
    assert "你老家是衡阳的" in reply_text(result, matcher.gazetteer, TODAY)
    result, _ = turn(matcher, state, "哦我现在在福州北峰那边修路", None)
    assert (result.intent, result.region) == ("new_year_meal", "福建省福州市晋安区")


@pytest.mark.parametrize("follow", ["怎么进去学 是个app吗", "咋下载 手机上能学不"])
def test_how_to_get_into_an_online_course_asks_how_to_claim_it(matcher: Matcher, follow: str) -> None:
    result, _ = _after(matcher, "上海有没有免费学技能的课 想下班刷手机学点东西", follow, "上海市浦东新区")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "shanghai-free-skill-courses", "how_to_claim")


def test_a_teacher_is_a_group_of_workers_but_teacher_said_to_us_is_a_way_of_addressing(matcher: Matcher) -> None:
    region = "福建省福州市晋安区"
    assert matcher.match("在晋安当老师 过年不回 区里有慰问吗", region).entry.id == "jinan-teacher-care"
    assert matcher.match("老师请问红包怎么领", region).entry.id != "jinan-teacher-care"
    _, state = turn(matcher, State(), "晋安过年有免费体检吗", region)
    assert turn(matcher, state, "谢谢老师哈", region)[0].intent == "greeting"


@pytest.mark.parametrize(("first", "follow", "entry", "aspect"), [
    ("王庄街道有免费体检吗", "要钱不 我补颗牙上次花了好几百", "jinan-wangzhuang-checkup", "cost"),
    ("被欠工资去哪投诉", "要准备啥 我就有骑手app上的记录", "national-wage-arrears-complaint", "materials")])
def test_a_part_asked_in_a_clause_of_its_own_then_why_stays_on_the_measure(
        matcher: Matcher, first: str, follow: str, entry: str, aspect: str) -> None:
    result, _ = _after(matcher, first, follow, "福建省福州市晋安区")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", entry, aspect)


def test_a_part_asked_beside_another_topic_the_model_leans_to_is_not_kept_on_the_measure(matcher: Matcher) -> None:
    result, _ = _after(matcher, "晋安过年加班工资怎么算", "过年要是有啥事情 找哪个", "福建省福州市晋安区")
    assert result.intent != "wage_rights"


def test_pay_put_off_in_one_clause_and_dragged_out_in_the_next_is_unpaid_wages(matcher: Matcher) -> None:
    text = "还有个事 俺们班组长说工钱要年后才结 去年就拖到五月份 今年要还这样 俺能去哪告他"
    result = _last(matcher, ["俺在上海嘉定一个工地干钢筋 听说国企给留下来哩发一次性补贴", "补多少", text], "上海市")
    assert result.intent == "legal_aid"


def test_where_someone_works_named_with_their_place_is_no_topic_of_its_own(matcher: Matcher) -> None:
    result = _last(matcher, ["广东东莞 长安镇 五金厂 厂里说初一到初三照常开工 算三倍不",
                             "我老婆在上海浦东超市做收银 她们过年也加班 也是三倍吧"], None)
    assert (result.intent, result.entry.id) == ("wage_rights", "shanghai-overtime-pay")


@pytest.mark.parametrize("follow", ["包工头说他不晓得 那找哪个问", "老板说他也不知道 那我去问哪个"])
def test_whom_to_ask_when_someone_said_they_do_not_know_stays_on_the_measure(matcher: Matcher, follow: str) -> None:
    result, _ = _after(matcher, "我在晋安工地上干活 过年工地上有年夜饭吃吗", follow, "福建省福州市晋安区")
    assert (result.kind, result.entry.id, result.aspect) == ("followup", "jinan-union-new-year-meal", "contact")


def test_saying_where_ones_identity_card_is_from_asks_for_no_papers(matcher: Matcher) -> None:
    told, _ = _after(matcher, "晋安有免费中医理疗吗", "外地人也行？我身份证是云南的", "福建省福州市晋安区")
    assert told.kind == "followup" and told.aspect != "materials"
    asked, _ = _after(matcher, "晋安有免费中医理疗吗", "身份证是要原件的吗", "福建省福州市晋安区")
    assert asked.aspect == "materials"


def test_an_overview_lists_what_the_government_gives_before_what_employers_give_on_top(matcher: Matcher) -> None:
    result = _last(matcher, ["guonian bu hui jia 有钱拿吗 zf补不补💰", "安庆宜秀开发区 电子厂 我贵州的"], None)
    assert result.kind == "overview"
    ids = [e.id for e in result.entries]
    assert ids.index("anqing-yixiu-subsidy-1000") < ids.index("anqing-yixiu-company-red-packet")


def test_a_new_question_the_model_leans_to_with_a_word_of_its_topic_leaves_the_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["我是农村户口 听说农民工还有个一次性的？", "能给多少啊", "ok 那过年这段时间点外卖还有人送吗 不想出门"],
                   "福建省福州市晋安区")
    assert result.intent != "unemployment" and result.kind == "measure"


@pytest.mark.parametrize("remark", ["我去年在武汉过年就是住的小旅馆 一晚上一百二 贵死了", "天天站一整天 累死了"])
def test_a_remark_that_complains_of_cost_or_toil_asks_for_no_measure(matcher: Matcher, remark: str) -> None:
    result = _last(matcher, ["我在太湖县 过年吃住有安排吗", remark], None)
    assert result.kind == "out_of_scope"


def test_a_remark_that_vents_anger_asks_for_no_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["过年想给老家寄点宣威火腿回去 快递过年收不收", "菜市场猪肉又涨了 一斤贵了五块 气死个人"],
                   "云南省曲靖市麒麟区")
    assert result.kind == "out_of_scope"
    asked = _last(matcher, ["过年想给老家寄点宣威火腿回去 快递过年收不收", "猪肉又涨了 气死个人 有人管没"], "云南省曲靖市麒麟区")
    assert asked.intent == "prices_supplies"


def test_the_rounds_phrase_rules_leave_their_near_twins_alone(matcher: Matcher) -> None:
    """Each reading added for one phrasing does not catch a look-alike that means something else."""
    _, state = turn(matcher, State(), "我娃在怀宁老家 有人照看不", "安徽省安庆市怀宁县")
    assert turn(matcher, state, "好的谢谢 孩子没人管", "安徽省安庆市怀宁县")[0].intent == "family_care"
    assert matcher.match("你好 孩子 寒假有人管吗", "安徽省安庆市怀宁县").intent == "family_care"
    _, state = turn(matcher, State(), "迎江区留下来过年有补贴吗", "安徽省安庆市迎江区")
    assert turn(matcher, state, "在迎江区医院做体检要带啥", "安徽省安庆市迎江区")[0].intent == "health_check"
    assert turn(matcher, state, "民营企业是啥意思", "安徽省安庆市迎江区")[0].kind != "followup"
    assert turn(matcher, state, "证明是哪里开的", "安徽省安庆市迎江区")[0].aspect == "materials"
    canon = matcher.resources.canon
    assert "退票" not in canon("票买好了 退休老人有优惠没") and "欠薪" not in canon("工资都发了 押金不给退")
    assert matcher.reading.word_asked(matcher.pipeline.prepare("啥意思 规上企业是啥意思", question=True)) == "规上企业"


@pytest.mark.parametrize("remark", ["服了 这什么破单位", "凭啥他们有我没有 气死", "就这？？啥都没写😂", "名字也太长了吧lol",
                                    "只有200份啊 那也太少了"])
def test_a_remark_that_judges_the_answer_asks_for_no_measure_even_put_as_a_question(matcher: Matcher, remark: str) -> None:
    result = _last(matcher, ["晋安有免费住的地方吗", remark], "福建省福州市晋安区")
    assert result.kind == "out_of_scope"
    asked = _last(matcher, ["晋安有免费住的地方吗", "也太少了吧 只有外地的才能住吗"], "福建省福州市晋安区")
    assert (asked.intent, asked.aspect) == ("accommodation", "eligibility")
    for question in ("凭什么条件领", "才200份吗", "对了 还有别的吗", "就这里能领吗", "领的时候要凭啥",
                     "太远了吧有近一点的吗", "老板说没听说"):     # look-alikes that ask
        assert _last(matcher, ["晋安有免费住的地方吗", question], "福建省福州市晋安区").kind == "followup"


@pytest.mark.parametrize("sound", ["切", "呸"])
def test_one_syllable_that_is_no_topic_word_names_no_measure_by_a_title_that_holds_it(matcher: Matcher, sound: str) -> None:
    result = _last(matcher, ["有交通补贴吗", "多少", sound], "上海市闵行区")
    assert result.kind == "out_of_scope" and result.entry is None


def test_a_laugh_that_echoes_the_measures_own_words_is_a_remark(matcher: Matcher) -> None:
    asked = ["桐城过年招人的多不多 想换个厂"]
    assert _last(matcher, [*asked, "哈哈 抖音还能找工作 我天天刷都不知道"], "安徽省安庆市桐城市").kind == "out_of_scope"
    assert _last(matcher, [*asked, "哈哈 抖音上咋报名"], "安徽省安庆市桐城市").intent == "jobs"


def test_looking_for_odd_jobs_is_a_jobs_question_but_doing_them_is_who_one_is(matcher: Matcher) -> None:
    meal = ["晋安重点项目工地上年夜饭是工会管吗"]
    assert _last(matcher, [*meal, "我自己过年想找点零工 多挣点"], "福建省福州市晋安区").intent == "jobs"
    assert _last(matcher, [*meal, "我是打零工的 也能去吃不"], "福建省福州市晋安区").intent == "new_year_meal"


def test_by_the_way_opens_another_matter_unless_it_asks_a_part_or_points_back(matcher: Matcher) -> None:
    meal = ["工地过年不停工 听工友说有年夜饭 真的假的"]
    region = "福建省福州市晋安区"
    assert _last(matcher, [*meal, "对了腰疼的很 有没有免费按一按的地方"], region).intent == "health_check"
    for followup in ("对了 刚才那个年夜饭在哪吃", "对了 要钱不", "对了 我在王庄街道"):
        result = _last(matcher, [*meal, followup], region)
        assert (result.intent, result.kind) == ("new_year_meal", "followup")


@pytest.mark.parametrize("text", ["过年拉客上北峰 山路通不通", "北峰那边的路过年通不通 怕拉客上去下不来"])
def test_whether_the_roads_are_passable_is_a_travel_question(matcher: Matcher, text: str) -> None:
    result = _last(matcher, ["开出租的 过年不回老家 听说对我们司机有慰问 真的假的", text], "福建省福州市晋安区")
    assert (result.intent, result.entry.id) == ("travel", "jinan-taxi-bus-operating")


def test_being_kept_out_of_the_home_village_is_an_epidemic_rule_question(matcher: Matcher) -> None:
    result = matcher.match("我在城里打工 屋头在越州乡下 村里头说今年外头回来的一律不准进村 这个是规定吗", "云南省曲靖市麒麟区")
    assert result.intent == "epidemic_prevention"


def test_whether_to_take_photos_or_keep_evidence_asks_what_a_complaint_needs(matcher: Matcher) -> None:
    complaint = ["超市乱涨价 能举报吗"]
    region = "福建省福州市晋安区"
    for followup in ("要 拍照吗", "要拍照片吗 还是光打个电话就行"):
        result = _last(matcher, [*complaint, followup], region)
        assert (result.intent, result.aspect) == ("prices_supplies", "materials")
    assert _last(matcher, [*complaint, "过年能免费拍全家福吗"], region).entry.id == "jinan-family-photo"


def test_a_follow_up_stays_on_the_local_card_that_says_the_national_rules_figures(matcher: Matcher) -> None:
    result = _last(matcher, ["工地上 过年不放假 老板说 过年上班 不给加班费 这合法吗", "初四 初五 那几天呢"], "上海市浦东新区")
    assert result.entry.id == "shanghai-overtime-pay"
    assert "百分之二百" in reply_text(result, matcher.gazetteer, TODAY)
    # (A local card that does not say the rule's figures gives way to it: 最长领12个月 is the national rule's.)
    months = _last(matcher, ["晋安失业金怎么领", "最长能领几个月"], "福建省福州市晋安区")
    assert "12个月" in reply_text(months, matcher.gazetteer, TODAY)


@pytest.mark.parametrize(("asked", "followup", "region"), [
    ("我在国企项目部干活 过年有额外补贴吗", "那这个是找项目部问还是找工会问", "上海市杨浦区"),
    ("我在晋安一家养老院做护工 过年院里不让走 说有个什么奖补 是多少钱啊", "那找谁问嘛是找院长还是找哪个部门", "福建省福州市晋安区")])
def test_which_of_two_to_ask_is_whom_to_contact_about_the_measure(matcher: Matcher, asked: str, followup: str,
                                                                  region: str) -> None:
    result = _last(matcher, [asked, followup], region)
    assert (result.intent, result.kind, result.aspect) == ("red_packet", "followup", "contact")


def test_a_choice_between_two_reaches_asks_where_the_measure_holds(matcher: Matcher) -> None:
    data = ["潜山这边是不是送流量"]
    result = _last(matcher, [*data, "那是全国都能用还是只能在安徽用啊"], "安徽省安庆市潜山市")
    assert (result.intent, result.kind) == ("data_bundle", "followup")
    assert "全省" in reply_text(result, matcher.gazetteer, TODAY)
    assert _last(matcher, [*data, "过年是留在本地好还是回老家好"], "安徽省安庆市潜山市").kind == "out_of_scope"


def test_whether_it_is_still_so_this_year_asks_if_the_measure_still_holds(matcher: Matcher) -> None:
    result = _last(matcher, ["讨薪申请法律援助要查经济困难吗", "今年还是这样吗"], "安徽省安庆市")
    assert (result.intent, result.kind, result.aspect) == ("legal_aid", "followup", "validity")
    assert "12348" in reply_text(result, matcher.gazetteer, TODAY)


def test_asking_whether_to_complain_about_a_topics_matter_seeks_where_to_complain(matcher: Matcher) -> None:
    shops = ["过年超市开门吗"]
    result = _last(matcher, [*shops, "菜价涨哩厉害 鸡蛋一斤都九块了 能告不"], "福建省福州市晋安区")
    assert result.entry.id == "jinan-price-complaint"
    assert _last(matcher, [*shops, "邻居过年放炮吵死了 能告不"], "福建省福州市晋安区").kind == "out_of_scope"


def test_what_the_boss_said_with_nothing_asked_is_a_remark(matcher: Matcher) -> None:
    asked = ["红包呢", "多少"]
    assert _last(matcher, [*asked, "老板说没有"], "云南省曲靖市麒麟区").kind == "out_of_scope"
    for followup in ("老板说没有 那找谁", "老板说不知道"):      # asked on, or whom to ask then
        result = _last(matcher, [*asked, followup], "云南省曲靖市麒麟区")
        assert (result.intent, result.kind) == ("red_packet", "followup")


def test_none_at_all_is_told_not_asked(matcher: Matcher) -> None:
    assert not matcher.reading.is_question("过年钱都没有") and matcher.reading.is_question("过年有补贴没有")
    result = _last(matcher, ["我在嘉定工地 包工头欠钱跑了 找哪个要", "造孽哦 过年钱都莫得"], "上海市嘉定区")
    assert result.kind == "out_of_scope"


def test_choosing_which_work_to_look_for_is_no_question_of_whom_to_contact(matcher: Matcher) -> None:
    for text in ("过完年我是找个厂还是找工地干", "找长期工还是找零工好"):
        assert "contact" not in matcher.reading.aspects(matcher.pipeline.prepare(text, question=True))
    assert "contact" in matcher.reading.aspects(matcher.pipeline.prepare("找项目部问还是找工会问", question=True))


def test_asking_whether_ones_home_province_counts_as_out_of_province_keeps_the_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["留长过年真的有600块吗 我在隆平园电子厂", "湖北的算外省吧", "去哪领啊"], "湖南省长沙市芙蓉区")
    assert (result.entry.id, result.region) == ("furong-red-600", "湖南省长沙市芙蓉区")


def test_there_is_another_one_names_that_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["迎江区留下来过年有钱拿吗", "俺户口河南的 能拿吧", "听说还有个500的"], "安徽省安庆市迎江区")
    assert result.entry.id == "anqing-yingjiang-enterprise-500"


def test_nothing_more_closes_when_said_and_asks_for_another_when_asked(matcher: Matcher) -> None:
    asked = ["桐城留下过年有补贴吗"]
    assert _last(matcher, [*asked, "没别的了 谢谢"], "安徽省安庆市桐城市").kind == "greeting"
    for again in ("那没别的了？", "没别的了吗"):
        result = _last(matcher, [*asked, again], "安徽省安庆市桐城市")
        assert result.intent == "red_packet" and result.entry.id != "anqing-tongcheng-subsidy-1000"


@pytest.mark.parametrize("text", ["请问一下 我年纪大了不太会用这个 我在安庆做保洁 过年不回江西了 政府有什么帮助吗",
                                  "安庆这边政府能帮我们啥"])
def test_what_help_there_is_is_a_general_question(matcher: Matcher, text: str) -> None:
    assert _last(matcher, [text], None).kind == "overview"
    # (what a thing named does is no general question: 服务站能帮我们啥)
    assert _last(matcher, ["听说潜山在外地有服务站，能帮我们啥"], None).kind != "overview"


@pytest.mark.parametrize("closing", ["好的那我叫他自己去问单位", "好的好的我拿笔记一下"])
def test_an_acknowledgement_typed_on_to_the_workers_plan_closes(matcher: Matcher, closing: str) -> None:
    asked = ["讨薪找哪个"]
    assert _last(matcher, [*asked, closing], "安徽省安庆市").kind == "greeting"
    assert _last(matcher, [*asked, "好我在宜秀能领吗"], "安徽省安庆市").kind != "greeting"


@pytest.mark.parametrize("followup", ["我女朋友过来能一起住吗", "对象能一起住不"])
def test_whether_a_partner_may_come_along_asks_who_may_come(matcher: Matcher, followup: str) -> None:
    result = _last(matcher, ["芙蓉区青年驿站能免费住吗", followup], "湖南省长沙市芙蓉区")
    assert (result.entry.id, result.kind, result.aspect) == ("furong-youth-station", "followup", "family")


def test_playing_ball_is_leisure_but_ball_games_news_is_not(matcher: Matcher) -> None:
    result = _last(matcher, ["福州晋安过年有么斯好玩的 不要钱的那种", "想打篮球 几点开门"], "福建省福州市晋安区")
    assert result.intent == "culture_leisure"
    assert _last(matcher, ["篮球比赛谁赢了"], "福建省福州市晋安区").kind == "out_of_scope"


def test_the_home_place_said_in_a_remark_is_where_home_care_is_asked_later(matcher: Matcher) -> None:
    told = ["我老家晋安北峰的 在上海饭店做厨师 今年又回不去了"]
    result = _last(matcher, [*told, "家里阿弟是残疾 爸妈年纪也大了 老家那边有人上门帮忙不"], "上海市")
    assert (result.entry.id, result.region) == ("jinan-disabled-home-help", "福建省福州市晋安区")
    # (the worker's own matters stay where the worker is)
    assert _last(matcher, [*told, "饭店过年最忙 加班费怎么算"], "上海市").entry.id == "shanghai-overtime-pay"
    for own in ("我身上没钱了 过年咋办", "有没有困难补助"):
        assert _last(matcher, [*told, own], None).region != "福建省福州市晋安区"


def test_what_there_is_in_another_place_asked_after_nothing_here_is_the_overview_there(matcher: Matcher) -> None:
    asked = ["我搁武汉当保安 过年不回黑龙江了 这边有啥补助不", "那啥 免费体检有没"]
    result = _last(matcher, [*asked, "得 那上海有啥 我媳妇在上海干家政"], None)
    assert (result.kind, result.region) == ("overview", "上海市")


@pytest.mark.parametrize("closing", ["好嘛 我去问下社区", "好勒"])
def test_going_to_ask_in_dialect_words_closes(matcher: Matcher, closing: str) -> None:
    assert _last(matcher, ["麒麟区困难群众过年有救助吗", closing], "云南省曲靖市麒麟区").kind == "greeting"


def test_a_case_told_with_an_ok_and_a_question_mark_asks(matcher: Matcher) -> None:
    asked = ["厂子年前倒闭了 我交了两年社保 能领失业金不"]
    result = _last(matcher, [*asked, "我是农村户口的 不是城里人 也行?"], "安徽省安庆市")
    assert (result.intent, result.kind) == ("unemployment", "followup")


def test_a_choice_between_two_reaches_asks_even_with_no_question_word(matcher: Matcher) -> None:
    data = ["潜山送流量吗"]
    result = _last(matcher, [*data, "是全国的还是省内的啊"], "安徽省安庆市潜山市")
    assert (result.intent, result.kind) == ("data_bundle", "followup")
    meal = ["晋安工会年夜饭怎么报名"]
    assert _last(matcher, [*meal, "年夜饭吃饺子还是汤圆 我们重庆人吃汤圆哈"], "福建省福州市晋安区").kind == "out_of_scope"


def test_giving_up_on_what_the_employer_withholds_is_a_remark(matcher: Matcher) -> None:
    asked = ["芙蓉区年货补贴怎么领"]
    assert _last(matcher, [*asked, "单位不发那也冇得办法 我们老板出了名的抠"], "湖南省长沙市芙蓉区").kind == "out_of_scope"
    result = _last(matcher, [*asked, "单位不发 找谁"], "湖南省长沙市芙蓉区")
    assert (result.kind, result.aspect) == ("followup", "contact")


def test_whether_what_was_heard_is_true_in_dialect_seeks_the_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["宜秀开发区里头做事 省外的 听讲有一千块钱 是真咯不"], "安徽省安庆市宜秀区")
    assert result.entry.id == "anqing-yixiu-subsidy-1000"


def test_a_measure_named_by_its_app_after_an_overview_is_that_measure(matcher: Matcher) -> None:
    result = _last(matcher, ["留榕过年有啥福利 求安利", "饿了么那个晋安专区是干嘛的"], "福建省福州市晋安区")
    assert result.entry.id == "jinan-eleme-new-year-meal"


def test_a_remark_mid_conversation_is_acknowledged_not_called_a_question_we_cannot_answer(matcher: Matcher) -> None:
    remark = _last(matcher, ["上海过年有红包吗", "今天单子好多 累死了"], "上海市")
    assert remark.kind == "out_of_scope"
    said = reply_text(remark, matcher.gazetteer, TODAY)
    assert said.startswith("明白") and "答不上来" not in said
    question = _last(matcher, ["上海过年有红包吗", "流量密码是啥意思"], "上海市")
    assert "答不上来" in reply_text(question, matcher.gazetteer, TODAY)


@pytest.mark.parametrize(("said", "kind"), [("算了 明年还是回广东过", "out_of_scope"), ("行吧 白问😑", "out_of_scope"),
                                            ("好吧 那我问问人事去", "greeting"), ("好吧 谢谢你听我吐槽", "greeting")])
def test_giving_in_opens_a_remark_unless_the_worker_will_ask_or_thanks(matcher: Matcher, said: str, kind: str) -> None:
    assert _last(matcher, ["上海过年有红包吗", said], "上海市").kind == kind


@pytest.mark.parametrize("dispute", ["跟公司谈不拢咋个办", "要是跟老板扯皮扯不清楚 找哪个"])
def test_a_dispute_that_cannot_be_settled_seeks_the_dispute_measure(matcher: Matcher, dispute: str) -> None:
    result = _last(matcher, ["过年加班咋个算", dispute], "云南省曲靖市麒麟区")
    assert result.entry.id == "qilin-labour-disputes"


def test_having_no_money_on_one_is_hardship(matcher: Matcher) -> None:
    result = _last(matcher, ["眼看要过年了身上一分钱没得回也回不去年饭都成问题"], "云南省曲靖市麒麟区")
    assert result.intent == "hardship_relief"


def test_calling_the_employer_stingy_is_a_remark(matcher: Matcher) -> None:
    asked = ["浦东做保安 手机费有补贴吗"]
    assert _last(matcher, [*asked, "俺们物业公司老抠了 年年啥也不给"], "上海市浦东新区").kind == "out_of_scope"
    assert _last(matcher, [*asked, "公司老抠了 不给的话找谁"], "上海市浦东新区").kind == "followup"


def test_very_before_a_feeling_is_no_ok(matcher: Matcher) -> None:
    asked = ["上海过年有红包吗"]
    assert _last(matcher, [*asked, "好想娃儿 昨天视频看到他都长高一截了"], "上海市").kind == "out_of_scope"
    assert _last(matcher, [*asked, "好 谢谢"], "上海市").kind == "greeting"


@pytest.mark.parametrize("turn", ["好的我要投诉", "好我是外地户口", "好的我没有合同"])
def test_an_acknowledgement_typed_on_to_a_case_or_a_wish_asks_on(matcher: Matcher, turn: str) -> None:
    assert _last(matcher, ["讨薪找哪个", turn], "安徽省安庆市").kind != "greeting"


def test_the_target_group_of_a_measure_is_no_partner(matcher: Matcher) -> None:
    result = _last(matcher, ["芙蓉区青年驿站能免费住吗", "发放对象能领多少"], "湖南省长沙市芙蓉区")
    assert result.aspect != "family"
    partner = _last(matcher, ["芙蓉区青年驿站能免费住吗", "我女朋友过来了能一起住吗"], "湖南省长沙市芙蓉区")
    assert (partner.kind, partner.aspect) == ("followup", "family")


@pytest.mark.parametrize(("text", "intent"), [("收入也没多少 过年加班费怎么算", "wage_rights"),
                                              ("身上一分钱现金都没带 坐地铁能扫码吗", "travel")])
def test_no_income_and_no_money_words_do_not_catch_other_meanings(matcher: Matcher, text: str, intent: str) -> None:
    assert _last(matcher, [text], "上海市").intent == intent


def test_a_request_put_as_a_statement_is_no_remark(matcher: Matcher) -> None:
    said = reply_text(_last(matcher, ["上海过年有红包吗", "帮我订张回家的火车票"], "上海市"), matcher.gazetteer, TODAY)
    assert not said.startswith("明白")


@pytest.mark.parametrize(("turn", "kind"), [("单位不发 真没办法", "out_of_scope"), ("没辙了", "out_of_scope"),
                                            ("老家那没办法领 在这边也能领", "followup")])
def test_giving_up_ends_its_clause(matcher: Matcher, turn: str, kind: str) -> None:
    assert _last(matcher, ["芙蓉区年货补贴怎么领", turn], "湖南省长沙市芙蓉区").kind == kind


def test_a_stingy_boss_and_a_complaint_seeks_where_to_complain(matcher: Matcher) -> None:
    result = _last(matcher, ["上海过年有红包吗", "老板太抠 不给报 我要投诉他"], "上海市")
    assert result.entry.id == "shanghai-online-complaint"


@pytest.mark.parametrize("asked", ["没了？", "没有了？"])
def test_nothing_more_asked_alone_asks_for_another(matcher: Matcher, asked: str) -> None:
    result = _last(matcher, ["桐城留下过年有补贴吗", asked], "安徽省安庆市桐城市")
    assert result.intent == "red_packet" and result.entry.id != "anqing-tongcheng-subsidy-1000"
    # (then we get none: "我们本省的就没有了？" is no ask for another)
    assert not matcher.reading.asks_another(matcher.pipeline.prepare("那我们本省的就没有了？", question=True))


@pytest.mark.parametrize("story", ["我喺上海送外卖 前两日撞车啦 架车都坏埋 手停口停 而家连开饭都冇钱 点算好啊",
                                   "我在上海送外卖 前两日撞车 车都坏了 现在连饭都没钱吃 我该怎么办",
                                   "我在上海送外卖 前两日撞车 车都坏了 现在连饭都没钱吃 这可怎么办啊"])
def test_a_story_ending_in_how_do_i_manage_asks_about_the_clause_before_it(matcher: Matcher, story: str) -> None:
    assert matcher.match(story, "上海市").intent == "hardship_relief"


def test_a_story_ending_in_whether_to_trust_an_offer_asks_for_advice(matcher: Matcher) -> None:
    advice = "我在福州当保安好几年了，腰肌劳损一直不好，老乡推荐了一家推拿店说办卡一次才50块，能不能信，会不会办"
    assert matcher.match(advice, "福建省福州市晋安区").kind == "out_of_scope"


def test_a_warm_drink_outdoors_is_the_relay_station_in_wu_words_too(matcher: Matcher) -> None:
    result = matcher.match("阿拉勒马路浪扫地 冷是冷得来 过年有啥地方好进去坐坐 吃口热水伐", "上海市")
    assert (result.intent, result.entry.id) == ("service_station", "shanghai-outdoor-relay-station")
    heating = matcher.match("出租屋太冷了 取暖费有补助没", "上海市")
    assert heating.entry is None or heating.entry.id != "shanghai-outdoor-relay-station"


def test_a_story_ending_in_what_there_is_asks_what_there_is(matcher: Matcher) -> None:
    result = matcher.match("屋里人喊我回去 我想留到这边多赚点 留下来过年有么子好处咯", None)
    assert (result.intent, result.kind) == ("red_packet", "ask_region")


def test_the_measure_just_given_pointed_at_by_its_amount_stays(matcher: Matcher) -> None:
    result, _ = _after(matcher, "在宜秀干 过年留这了 政府有啥福利不", "那个1000块的补助 快递分拣算一线不",
                       "安徽省安庆市宜秀区")
    assert result.entry.id == "anqing-yixiu-subsidy-1000"
    another, _ = _after(matcher, "在宜秀干 过年留这了 政府有啥福利不", "那个1000块的补助 还有别的补助吗",
                        "安徽省安庆市宜秀区")
    assert another.entry.id != "anqing-yixiu-subsidy-1000"


def test_asking_whether_there_is_another_topics_measure_is_no_lack_told(matcher: Matcher) -> None:
    result, _ = _after(matcher, "我在晋安开出租的 今年不回去了 听说没回老家的司机有慰问 是给啥东西",
                       "工会有没有年夜饭安排 我们出租公司的算不算", "福建省福州市晋安区")
    assert (result.intent, result.entry.id) == ("new_year_meal", "jinan-union-new-year-meal")


def test_a_keyword_holding_a_strong_word_of_its_own_topic_is_that_topic(matcher: Matcher) -> None:
    result = matcher.match("留下来给的话费补贴多少钱", "上海市")
    assert (result.intent, result.entry.id) == ("data_bundle", "shanghai-phone-subsidy")


def test_going_back_to_an_earlier_measure_by_a_word_of_its_text(matcher: Matcher) -> None:
    result = _last(matcher, ["在上海做快递的 有没有什么免费学技能的课", "那节后想换个工作 有招聘会么",
                             "ok 刚才那个课要钱不 是真free吗"], "上海市")
    assert (result.intent, result.entry.id, result.aspect) == ("training", "shanghai-free-skill-courses", "cost")


@pytest.mark.parametrize(("said", "aspects"), [("我们工头也跑了 电话都打不通 真是气死人", []),
                                              ("老板电话也不接", []), ("电话打不通 还有别的电话吗", ["contact"]),
                                              ("电话打不通啊", ["contact"])])
def test_a_phone_told_of_asks_for_no_contact(matcher: Matcher, said: str, aspects: list[str]) -> None:
    assert matcher.reading.aspects(matcher.pipeline.prepare(said, question=True)) == aspects


def test_a_phone_that_does_not_answer_told_mid_conversation_is_a_remark(matcher: Matcher) -> None:
    result, _ = _after(matcher, "老板欠我们班组三个月工钱 在安庆这边工地上 能找法律援助吗",
                       "我们工头也跑了 电话都打不通 真是气死人", "安徽省安庆市")
    assert result.kind == "out_of_scope"


@pytest.mark.parametrize(("said", "kind"), [("算了 说了也白说 厂里说啥就是啥", "out_of_scope"),
                                           ("算喽 说了也白说 老板是我表叔", "out_of_scope"),
                                           ("我们厂小 估计啥都没有", "out_of_scope"), ("估计悬 那找谁问", "followup"),
                                           ("说了也白说 老板不给找谁", "followup")])
def test_saying_it_is_no_use_is_giving_up_unless_it_asks(matcher: Matcher, said: str, kind: str) -> None:
    result, _ = _after(matcher, "过年厂里要加班 加班费咋算", said, "云南省曲靖市麒麟区")
    assert result.kind == kind


def test_a_story_then_a_clause_pointing_at_the_measure_asks_about_it(matcher: Matcher) -> None:
    result, _ = _after(matcher, "年三十一个人在出租屋 有没有送年夜饭的", "我在个小饭馆打工 老板回老家了我看店 这个有我的份不",
                       "湖南省长沙市芙蓉区")
    assert (result.kind, result.entry.id) == ("followup", "furong-new-year-meal-delivery")


def test_what_is_inside_a_gift_pack_asks_about_that_pack(matcher: Matcher) -> None:
    result = matcher.match("宜秀区这边过年送大礼包 里面都有啥", "安徽省安庆市宜秀区")
    assert (result.kind, result.entry.id) == ("measure", "anqing-yixiu-gift-pack")
    assert matcher.match("留下来都有啥", "安徽省安庆市宜秀区").kind == "overview"


@pytest.mark.parametrize("asked", ["宜秀区这边有啥", "这边有啥"])
def test_a_place_and_what_there_is_gets_the_overview(matcher: Matcher, asked: str) -> None:
    result = matcher.match(asked, "安徽省安庆市宜秀区")
    assert (result.intent, result.kind) == ("red_packet", "overview")


def test_a_list_of_one_topic_is_asked_in_the_clause_that_names_it(matcher: Matcher) -> None:
    story = ("我在这边电子厂做了两年 今年老家那边疫情紧张 爸妈也叫我别回了 第一次一个人在外面过年心里有点空 "
             "想问下不回老家过年 这边都有啥福利啊")
    assert matcher.match(story, "湖南省长沙市芙蓉区").intent != "family_care"
    assert matcher.match("我想学点技术 这块有啥政策", "湖南省长沙市芙蓉区").intent == "training"


def test_the_family_who_told_the_worker_to_stay_is_no_topic_of_what_there_is(matcher: Matcher) -> None:
    result = matcher.match("爸妈叫我别回去 我就留下了 过年这边都有啥福利", "福建省福州市晋安区")
    assert result.kind == "overview" and len({e.intent for e in result.entries}) > 1


@pytest.mark.parametrize(("said", "intent"), [("我摔的地方跟住的地方不是一个街道 找哪边", "hardship_relief"),
                                             ("过年留上海 住的地方跟吃饭有没有安排", "accommodation")])
def test_where_the_worker_lives_beside_another_place_is_no_bed_asked(matcher: Matcher, said: str, intent: str) -> None:
    result, _ = _after(matcher, "我在上海送外卖 前天骑车摔了 腿骨折 一个月干不了活 房租都交不上了 有没有啥救急的", said,
                       "上海市")
    assert result.intent == intent


def test_where_someone_still_is_keeps_the_conversation_where_the_worker_is(matcher: Matcher) -> None:
    result = _last(matcher, ["我在潜山服装厂做事 听说这边送流量 么样领", "潜山过年有么子招工的 我屋里侄儿想来",
                             "他人还在黄冈 手机上看得到不", "搞到么时候"], "安徽省安庆市潜山市")
    assert (result.intent, result.region) == ("jobs", "安徽省安庆市潜山市")


def test_help_for_family_at_home_is_the_home_places_when_the_workers_place_has_none(matcher: Matcher) -> None:
    result = matcher.match("我家在福州晋安北峰 我在厦门工地 今年回不去 家里我哥是残疾人一个人住 吃饭都成问题 有没有人能去帮一下",
                           None)
    assert result.region == "福建省福州市晋安区"
    own = matcher.match("我在厦门工地 老家晋安的 今年回不去 吃饭都成问题 有啥救助", None)
    assert own.region == "福建省厦门市"


@pytest.mark.parametrize("asked", ["过了一年还能告不", "要是拖到明年才去告 还作不作数"])
def test_how_long_a_right_lasts_is_answered_by_the_right_that_says_it(matcher: Matcher, asked: str) -> None:
    result, _ = _after(matcher, "老板欠了我半年工资 人跑了 我想告他", asked, None)
    assert (result.kind, result.entry.id) == ("followup", "national-labour-arbitration")
    assert "一年" in reply_text(result, matcher.gazetteer, TODAY)


def test_whether_anyone_sees_to_a_price_rise_seeks_where_to_complain(matcher: Matcher) -> None:
    result = matcher.match("过年菜市场的菜涨得凶得很 一斤青菜卖到八块 这个莫得人管嘛", "云南省曲靖市麒麟区")
    assert (result.intent, result.entry.id) == ("prices_supplies", "qilin-price-supervision")


@pytest.mark.parametrize("asked", ["听说还有慰问金 多少钱", "他这种有慰问金不"])
def test_a_gift_asked_after_care_for_some_people_is_the_one_for_those_people(matcher: Matcher, asked: str) -> None:
    result, _ = _after(matcher, "我哥是残疾人住晋安 家里人过年都回不来 有人照看不", asked, "福建省福州市晋安区")
    assert (result.intent, result.entry.id) == ("hardship_relief", "jinan-disabled-1000")
    driver, _ = _after(matcher, "我在晋安开出租 过年不回去", asked, "福建省福州市晋安区")
    assert driver.intent == "red_packet"
