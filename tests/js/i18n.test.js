import assert from "node:assert/strict";
import { test } from "node:test";
import { blockNames } from "../../js/blocks.js";
import { rowText, sumText } from "../../js/contributions.js";
import { LANGS, STRINGS, errorIn, langOf, translate, wordsIn } from "../../js/i18n.js";
import { describeStep } from "../../js/state.js";
import { chainGraph } from "./fixtures.js";

const placeholders = (/** @type {string} */ text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every string exists in both languages, with the same placeholders, and none is empty", () => {
  const keys = Object.keys(STRINGS.en).sort();
  for (const lang of LANGS) assert.deepEqual(Object.keys(STRINGS[lang]).sort(), keys, lang);
  for (const key of keys) {
    for (const lang of LANGS) {
      const text = /** @type {Record<string, string>} */ (STRINGS[lang])[key];
      assert.equal(typeof text, "string", `${lang}.${key}`);
      assert.ok(text.trim().length > 0, `${lang}.${key} is empty`);
    }
    assert.deepEqual(placeholders(STRINGS.ko[key]), placeholders(STRINGS.en[key]), key);
  }
});

test("Korean strings are Korean: the words a learner reads are translated", () => {
  for (const key of ["step", "stepBack", "runAll", "reset", "play", "pause", "speed", "language", "cardSection"]) {
    assert.match(STRINGS.ko[key], /[\uac00-\ud7a3]/, key);
  }
});

test("the accessible names tests rely on", () => {
  assert.deepEqual(
    ["stepBack", "step", "runAll", "reset", "play", "pause", "speed", "language", "yourPrediction", "reveal"].map(
      (k) => [translate("en", k), translate("ko", k)],
    ),
    [
      ["Step back", "뒤로"],
      ["Step", "단계"],
      ["Run all", "모두 실행"],
      ["Reset", "처음으로"],
      ["Play", "재생"],
      ["Pause", "일시정지"],
      ["Speed", "속도"],
      ["Language", "언어"],
      ["Your prediction", "예측값"],
      ["Reveal", "보기"],
    ],
  );
  assert.equal(translate("en", "predictWrong", { v: "3.297" }), "Not quite: it is 3.297");
  assert.equal(translate("ko", "predictWrong", { v: "3.297" }), "아쉽네요: 정답은 3.297");
});

test("translate fills placeholders and falls back to English for an unknown language", () => {
  assert.equal(translate("ko", "add", { name: "sin" }), "sin 추가");
  assert.equal(translate("fr", "add", { name: "sin" }), "Add sin");
  assert.equal(translate("en", "counter", { k: 2, n: 3 }), "Step 2 / 3");
  assert.equal(langOf("ko"), "ko");
  assert.equal(langOf(undefined), "en");
  assert.equal(langOf("fr"), "en");
  assert.equal(langOf("toString"), "en", "a name every object has is not a language");
});

test("a language is its table: the picker's languages and names, and its line breaking, come from it", () => {
  assert.deepEqual(LANGS, Object.keys(STRINGS));
  assert.deepEqual(
    LANGS.map((lang) => translate(lang, "languageName")),
    ["English", "한국어"],
  );
  assert.equal(translate("ko", "wordBreak"), "keep-all");
  assert.equal(translate("en", "wordBreak"), "normal");
});

test("block buttons and the narration in Korean", () => {
  assert.deepEqual(blockNames(3, "sin", "ko"), {
    row: "블록 4: sin",
    remove: "블록 4 (sin) 삭제",
    up: "블록 4 (sin) 위로 이동",
    down: "블록 4 (sin) 아래로 이동",
  });
  assert.equal(describeStep(chainGraph(), 0, "ko"), "처음으로: 아직 기울기가 없습니다.");
  assert.equal(
    describeStep(chainGraph(), 2, "ko"),
    "3단계 중 2단계: Exp의 역전파: gy = 2.568에 국소 미분을 곱해 a에 gx = 3.297.",
  );
});

test("the grads a variable received, in Korean", () => {
  const row = { from: "f0", fromLabel: "Square", step: 3, arrived: true, value: 2 };
  assert.equal(rowText(row, "ko"), "+2 \u2190 Square \u00b7 3단계");
  assert.equal(rowText(row), "+2 \u2190 Square \u00b7 step 3");
  assert.equal(sumText([row], "ko"), "3단계에 Square에서 2");
  assert.equal(sumText([row]), "2 from Square at step 3");
});

test("Python's words come in every language: the page shows its own, English where one is missing", () => {
  const words = { en: "Unknown block 'foo'.", ko: "'foo'(이)라는 블록은 없습니다." };
  assert.equal(wordsIn(words, "ko"), "'foo'(이)라는 블록은 없습니다.");
  assert.equal(wordsIn(words, "en"), "Unknown block 'foo'.");
  assert.equal(wordsIn(words, "fr"), "Unknown block 'foo'.");
  assert.equal(wordsIn({ en: "only English" }, "ko"), "only English");
  assert.equal(wordsIn("a learner's own text", "ko"), "a learner's own text");
  assert.equal(wordsIn(null, "ko"), "");
  assert.equal(wordsIn({ ko: 3 }, "ko"), "", "junk is no words");
  /** @param {Record<string, any>} traits */
  const model = (traits) => ({ get: (/** @type {string} */ name) => traits[name] });
  assert.equal(errorIn(model({ lang: "ko", error: "English", error_words: words })), words.ko);
  assert.equal(errorIn(model({ lang: "ko", error: "English", error_words: words }), "en"), words.en);
  assert.equal(errorIn(model({ lang: "ko", error: "from an older kernel" })), "from an older kernel");
  assert.equal(errorIn(model({ lang: "ko", error: "", error_words: {} })), "");
});
