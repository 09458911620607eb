/* 暖心助手 web chat. Plain JavaScript, no libraries. Texts from the server arrive as escaped HTML
   (field "html"); everything else is inserted with textContent. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), input = $("text"), sendBtn = $("send");
  var state = { region: null, more: [], moreLabel: "更多…" };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function scroll() { var m = $("main"); m.scrollTop = m.scrollHeight; }

  function api(path, body) {
    var opts = body === undefined ? { credentials: "same-origin" } : {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    };
    return fetch(path, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw new Error(data.message || "网络不太好，请再试一次。");
        return data;
      });
    }, function () { throw new Error("连不上服务器，请检查网络后再试。"); });
  }

  function say(text) { log.appendChild(el("p", "msg me", text)); scroll(); }
  function error(err) { log.appendChild(el("p", "msg err", err.message)); scroll(); }
  function botText(text, buttons) {
    var box = el("div", "msg bot"); box.appendChild(el("p", "card-b", text));
    addButtons(box, buttons); log.appendChild(box); scroll(); return box;
  }

  function setRegion(data) {
    if ("region" in data) {
      state.region = data.region;
      $("region-name").textContent = data.region_short || "选择地区";
    }
  }

  function addButtons(box, buttons) {
    if (!buttons || !buttons.length) return;
    var row = el("div", "btns");
    buttons.forEach(function (b) {
      var btn = el("button", null, b.label); btn.type = "button";
      btn.addEventListener("click", function () { press(b); });
      row.appendChild(btn);
    });
    box.appendChild(row);
  }

  function showAnswer(data) {
    setRegion(data);
    var box = el("div", "msg bot");
    box.setAttribute("data-kind", data.kind || "");
    var body = el("div"); body.innerHTML = data.html;   // escaped on the server
    box.appendChild(body); addButtons(box, data.buttons);
    log.appendChild(box);
    // A long answer is read from its heading: show its top, not its end.
    if (box.offsetHeight > $("main").clientHeight * 0.8) box.scrollIntoView({ block: "start" }); else scroll();
  }

  function busy(on) { sendBtn.disabled = on; }
  function call(path, body) {
    busy(true);
    return api(path, body).then(function (d) { busy(false); return d; },
                                function (e) { busy(false); error(e); throw e; });
  }

  function press(b) {
    if (b.type === "entry") { say(b.label.replace(/^(你想问|相关)：/, "")); call("/api/entry", { id: b.id }).then(showAnswer, function () {}); }
    else if (b.type === "topic") { say(b.label); call("/api/topic", { intent: b.intent }).then(showAnswer, function () {}); }
    else if (b.type === "choose") { chooseRegion(); }
    else if (b.type === "more") { botText("还有这些话题，点一下就能看：", state.more); }
    else if (b.type === "region") {
      if (!b.final) {
        api("/api/regions?parent=" + encodeURIComponent(b.name)).then(function (d) {
          botText("选你所在的区县（或整个城市）：", d.options);
        }, error);
        return;
      }
      call("/api/region", { region: b.name }).then(function (d) {
        setRegion(d); botText(d.message); if (d.answer) showAnswer(d.answer);
      }, function () {});
    }
  }

  function chooseRegion() {
    api("/api/regions").then(function (d) { botText("你在哪个城市？", d.options); }, error);
  }

  function ask(ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = ""; say(text);
    call("/api/ask", { text: text }).then(showAnswer, function () {});
  }

  function showStation(s) {
    var box = $("station"); box.hidden = false;
    box.appendChild(el("h2", null, "🏠 " + s.name));
    if (s.address) box.appendChild(el("p", null, "地址：" + s.address));
    if (s.hours) box.appendChild(el("p", null, "春节开放：" + s.hours));
    if (s.phone_html) { var p = el("p", null, "电话："); var span = el("span"); span.innerHTML = s.phone_html; p.appendChild(span); box.appendChild(p); }
  }

  function showNotices(list) {
    if (!list || !list.length) return;
    var box = $("notices"); box.hidden = false;
    box.appendChild(el("h2", null, "📢 最近的通知"));
    list.forEach(function (n) {
      var item = el("div", "notice"); item.appendChild(el("time", null, n.at));
      var body = el("div"); body.innerHTML = n.html; item.appendChild(body); box.appendChild(item);
    });
  }

  function showTopics(data) {
    var box = $("topics");
    state.more = data.more_topics.map(function (t) { return { type: "topic", intent: t.intent, label: t.label }; });
    data.topics.concat([{ more: true, label: data.more_label }]).forEach(function (t) {
      var btn = el("button", null, t.label); btn.type = "button";
      btn.addEventListener("click", function () { press(t.more ? { type: "more" } : { type: "topic", intent: t.intent, label: t.label }); });
      box.appendChild(btn);
    });
  }

  function start() {
    var m = /^\/s\/(\d+)/.exec(location.pathname);
    var body = m ? { station: parseInt(m[1], 10) } : {};
    api("/api/start", body).then(function (d) {
      setRegion(d); showTopics(d);
      if (d.station) showStation(d.station);
      showNotices(d.notices);
      var hello = d.greeting;
      if (d.station) hello = "已为你设置地区：" + d.region_short + "。" + hello;
      botText(hello, d.region ? [] : [{ type: "choose", label: "📍 先选我所在的地区" }]);
      $("main").scrollTop = 0;   // the station and its notices first
    }, error);
  }

  $("ask").addEventListener("submit", ask);
  $("region-btn").addEventListener("click", chooseRegion);
  $("forget").addEventListener("click", function () {
    if (!window.confirm("确定删除你的地区和提问记录吗？")) return;
    api("/api/forget", {}).then(function (d) {
      setRegion({ region: null }); log.textContent = ""; botText(d.message);
    }, error);
  });
  start();
})();
