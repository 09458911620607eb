"""Region detection over all of China's divisions: covered regions by their names, other
places as themselves (never a covered city through a loose alias), home towns ignored."""

import pytest

from intents import Matcher
from knowledge.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.from_yaml()


@pytest.mark.parametrize(("text", "expected"), [
    ("在宜昌打工过年有补贴吗", "湖北省宜昌市"),
    ("宜宾这边有红包不", "四川省宜宾市"),
    ("我在宜兴厂里上班", "江苏省无锡市宜兴市"),
    ("宜春有没有年夜饭", "江西省宜春市"),
    ("南京鼓楼区有什么补贴", "江苏省南京市鼓楼区"),
    ("福州鼓楼区", "福建省福州市鼓楼区"),
    ("留宜过年有啥", "安徽省安庆市"),
    ("俺在宜秀上班", "安徽省安庆市宜秀区"),
    ("宜城市", "湖北省襄阳市宜城市"),
    ("我是四川人在上海打工", "上海市"),
    ("老家安庆的，现在在深圳", "广东省深圳市"),
    ("安庆人社局电话多少", "安徽省安庆市"),
    ("安庆市迎江区", "安徽省安庆市迎江区"),
    ("客运站有车回北峰吗", "福建省福州市晋安区"),
    ("厦门思明区", "福建省厦门市思明区"),
    ("舟山普陀上班的过年补贴", "浙江省舟山市普陀区"),
    ("在苏州吴中太湖边上打工", "江苏省苏州市吴中区"),
    ("我是在迎江的，红包多少", "安徽省安庆市迎江区"),
    ("我河南周口的 在隆平园一个公司", "湖南省长沙市芙蓉区"),          # 我|河南|周口|的 is a home, as a whole
    ("原来在上海松江 上个月换到福州晋安了", "福建省福州市晋安区"),     # where one used to be
    ("过年从麒麟开车出去 路上堵不堵", "云南省曲靖市麒麟区"),          # where a trip starts is where one is
    ("刚从苏州回安庆 高铁站出来看到个摊子", "安徽省安庆市"),          # ... not where one came back from
    ("昆山离上海近 上海那边有吗", "上海市"),                         # the place called "there"
    ("过年想回四川看我妈 麒麟区这边让不让走", "云南省曲靖市麒麟区"),  # "here", not where a trip goes
    ("要去上海的票 我在潜山", "安徽省安庆市潜山市"),                 # a trip's end is named after the rest
    ("老婆孩子过年从老家来晋安看我", "福建省福州市晋安区"),            # where they come to, not from
    ("我在迎江那个电子厂上班河南那边的今年不回去了", "安徽省安庆市迎江区"),  # where one is from, "that side"
    ("上海那边的补贴多少", "上海市"),                                 # "that side's" subsidy: asked about
    ("长沙那边的也有流量送吗", "湖南省长沙市"), ("安庆那边的过年有红包吗", "安徽省安庆市"), ("安庆那边的人社电话多少", "安徽省安庆市"),
    ("我和儿子在芙蓉区过年 有免费景点吗", "湖南省长沙市芙蓉区"),
    ("我系广东嘅 喺芙蓉区奶茶店返工", "湖南省长沙市芙蓉区"),         # Cantonese "I am from"
])
def test_place_named_in_a_question(gaz: Gazetteer, text: str, expected: str) -> None:
    assert gaz.detect(text).name == expected


@pytest.mark.parametrize("text", ["新春安康", "东方红", "我老家四川的", "和平年代", "过年好", "我是湖南衡阳的，有份吗",
                                  "我们河南的在这边也没亲戚", "他四川的 也能领吗", "我屋头在四川宜宾 那边是低风险",
                                  "我家在湖北黄冈 过年回不去",
                                  "俺老家河南周口，低风险", "我湖南本地的能住不", "湖南籍能领吗",
                                  "那俺老乡是河南的呢", "他也是四川的 能领不", "我媳妇是贵州人",
                                  "在宜兴的老乡说他们厂发红包", "我户口不在这 是昭通的",
                                  "那600块我能拿不 江西的 在工地上干", "今年回不去四川了 厂里过年管饭不",
                                  "我卡是江西的号 也能用吗", "他屋里是武汉的 算不算那个中高风险", "我22岁广西的，房子到期了",
                                  "河南那边的今年不打算回去了", "湖北的算外省吧", "湖北的算省外吗", "湖北算外省吧", "我贵州护口的", "我户扣贵州的 在开发区一个钢构厂", "江西的人算不算外地", "我系广东嘅 过年唔返", "俺河南哩 今年不回老家了"])
def test_everyday_words_and_home_towns_are_not_where_the_worker_is(gaz: Gazetteer, text: str) -> None:
    assert gaz.detect(text) is None


def test_a_place_outside_the_covered_regions_sits_under_its_province(gaz: Gazetteer) -> None:
    assert gaz.ancestors("福建省厦门市思明区") == ["福建省厦门市思明区", "福建省厦门市", "福建省", "全国"]
    assert gaz.ancestors("湖北省宜昌市") == ["湖北省宜昌市", "湖北省", "全国"]
    assert gaz.short("湖北省宜昌市") == "宜昌"
    assert gaz.resolve("宜昌").name == "湖北省宜昌市"
    assert gaz.knows("湖北省宜昌市") and "湖北省宜昌市" not in gaz


def test_where_the_family_is_is_known_apart_from_where_the_worker_is(gaz: Gazetteer) -> None:
    text = "我在上海打工 儿子在怀宁月山镇跟他爷爷 过年我回不去 有人照看不"
    assert gaz.detect(text).name == "上海市"
    assert gaz.kin_place(text).name == "安徽省安庆市怀宁县"
    assert gaz.kin_place("我在上海打工 过年回不去") is None
    # The worker is there with them: the family's own place is the one named after.
    assert gaz.kin_place("我和老婆都在上海打工 两个小的跟着爷爷奶奶在曲靖麒麟区").name == "云南省曲靖市麒麟区"
    # Grandchildren too, in everyday and dialect words.
    for kid in ("孙子", "孙伢子", "外孙"):
        assert gaz.kin_place(f"我在上海做护工 屋里一个{kid}在长沙芙蓉区没人照看").name == "湖南省长沙市芙蓉区"


@pytest.mark.parametrize(("text", "expected"), [("按庆这边的", "安徽省安庆市"), ("麒林区", "云南省曲靖市麒麟区"),
                                                ("我在晋按区 有体检吗", "福建省福州市晋安区"), ("anqing hongbao", "安徽省安庆市"),
                                                # a covered name typed is that name, not another's sound-alike
                                                ("晋安有慰问司机的吗", "福建省福州市晋安区"),
                                                # 老家 in the clause before does not make the next clause's place a home
                                                ("我开出租的过年没回老家，晋安有慰问司机的吗", "福建省福州市晋安区")])
def test_a_covered_place_typed_by_sound_is_that_place(matcher: Matcher, text: str, expected: str) -> None:
    assert matcher.match(text).region_in_text == expected


@pytest.mark.parametrize(("text", "expected"), [("同城快递过年停不停", None), ("马上还钱", None),
                                                ("我老家云南的 不是啥风险区 能拿不", None), ("老家按庆的 在上海", "上海市")])
def test_a_word_that_only_sounds_like_a_place_is_no_place(matcher: Matcher, text: str, expected: str | None) -> None:
    assert matcher.match(text).region_in_text == expected


@pytest.mark.parametrize(("text", "region"), [("我在宜春 有免费体检吗", "江西省宜春市"), ("宜春有免费体检吗", "江西省宜春市"),
                                              ("我在宜宾打工 红包有吗", "四川省宜宾市"), ("我在宜 有免费体检吗", "安徽省安庆市")])
def test_a_city_that_begins_where_a_nickname_ends_is_that_city(matcher: Matcher, text: str, region: str) -> None:
    """在宜 (in 安庆) must not swallow the 宜 of 宜春: 我在宜春 is 江西省宜春市, with no local measures."""
    result = matcher.match(text, None)
    assert result.region == region
    assert (result.kind == "no_local") == (region != "安徽省安庆市")


def test_where_a_trip_goes_is_not_where_its_travel_measure_is(matcher: Matcher) -> None:
    """坐火车回宣威: the worker in 麒麟区 gets 麒麟区's train measure, and stays in 麒麟区 after it;
    with no place of their own, the place named is the place."""
    from intents.conversation import State, turn

    result, state = turn(matcher, State(), "要坐火车回宣威看我妈 能刷脸进站不", "云南省曲靖市麒麟区")
    assert (result.kind, result.entry.id, result.region) == ("measure", "qilin-e-ticket", "云南省曲靖市麒麟区")
    assert state.region is None
    assert matcher.match("客运站有车回北峰吗").region == "福建省福州市晋安区"
    assert matcher.match("回宣威的火车票有优惠吗", None).region == "云南省曲靖市宣威市"


@pytest.mark.parametrize(("name", "shown"), [("江苏省南京市鼓楼区", "南京鼓楼区"), ("湖北省宜昌市", "宜昌"),
                                             ("江苏省无锡市宜兴市", "宜兴"), ("福建省福州市鼓楼区", "福州鼓楼区")])
def test_a_place_is_shown_by_a_name_that_finds_it_again(gaz: Gazetteer, name: str, shown: str) -> None:
    # what "/region <name shown>" is typed with must not become another city's 鼓楼区
    assert gaz.short(name) == shown == gaz.region(name).short
    assert gaz.detect(shown).name == name


def test_where_things_go_back_to_is_not_where_a_worker_who_said_where_they_are_is(matcher: Matcher) -> None:
    result = matcher.match("单位能帮忙寄年货回四川不", "福建省福州市晋安区")
    assert (result.region, result.entry.id) == ("福建省福州市晋安区", "jinan-mail-new-year-goods")


@pytest.mark.parametrize(("text", "name"), [
    ("我在郑州 老公在上海嘉定一个厂 他那边留下过年有啥补贴没", "上海市嘉定区"),
    ("我在迎江上班 我表弟在宜秀 他那边给多少钱", "安徽省安庆市宜秀区"),
    ("我在郑州 老公在上海嘉定一个厂 我这边有补贴没", "河南省郑州市"),
])
def test_his_there_is_where_the_text_says_he_is(gaz: Gazetteer, text: str, name: str) -> None:
    assert gaz.detect(text).name == name


@pytest.mark.parametrize(("text", "name"), [
    ("我在浦东做保洁 我妈七十多了在怀宁月山镇一个人带着我儿子 那边有没有人能上门去看", "安徽省安庆市怀宁县"),
    ("爸妈七十多了住在麒麟区村里 村里能不能上门去看看", "云南省曲靖市麒麟区"),
])
def test_where_the_family_is_is_read_past_their_age(gaz: Gazetteer, text: str, name: str) -> None:
    assert gaz.kin_place(text).name == name


@pytest.mark.parametrize("text", ["我工友是贵州的 他过年也不回", "我表姐是江西的 在这边带娃",
                                  "我们几个贵州来的都留下来干", "我是河南过来的 刚找到活", "从贵阳坐火车来的"])
def test_someone_who_is_from_a_place_is_not_there(gaz: Gazetteer, text: str) -> None:
    assert gaz.detect(text) is None and gaz.home(text) is not None


@pytest.mark.parametrize("text", ["要什么条件啊 我22 广西的", "我身份证是河南的 也能申请吗"])
def test_where_an_age_or_an_identity_card_says_one_is_from_is_no_place_one_is_at(gaz: Gazetteer, text: str) -> None:
    assert gaz.detect(text) is None and gaz.home(text) is not None


def test_a_place_named_then_someone_else_there_is_theirs(gaz: Gazetteer) -> None:
    assert gaz.someone_elses("沾益那边有没得 我表哥在那点上班").name == "云南省曲靖市沾益区"
    assert gaz.someone_elses("沾益那边有没得 我在那点上班") is None


def test_someone_else_there_far_after_the_workers_own_place_leaves_it_the_workers(gaz: Gazetteer) -> None:
    assert gaz.someone_elses("我在晋安上班 留下过年有补贴吗 老家是四川的 我哥也在那边").name == "四川省"
    assert gaz.detect("我去年到晋安来的 留下过年有补贴吗").name == "福建省福州市晋安区"


@pytest.mark.parametrize(("text", "region"), [("俺在曲靖沾益…不对不对 是麒麟区", "云南省曲靖市麒麟区"),
                                              ("在安庆 说错了 是上海", "上海市"),
                                              ("我在沾益上班 不对 在麒麟区", "云南省曲靖市麒麟区"),
                                              ("我在沾益上班 不对的地方请指出", "云南省曲靖市沾益区"),
                                              ("我在上海打工 老板算的加班费不对 回安庆过年有补贴吗", "上海市"),
                                              ("我在宜秀区 感觉身体不对劲 去安庆市里体检", "安徽省安庆市宜秀区"),
                                              ("在沾益 对不对 麒麟区呢", "云南省曲靖市沾益区")])
def test_a_place_corrected_is_the_place_said_after_the_correction(gaz: Gazetteer, text: str, region: str) -> None:
    assert gaz.detect(text).name == region
