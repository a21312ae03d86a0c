use super::*;

fn builtin() -> Catalogue {
    Catalogue::builtin()
}

#[test]
fn builtin_languages_have_the_same_keys() {
    let c = builtin();
    assert_eq!(missing_in(&c, Locale::RU, Locale::EN), Vec::<String>::new());
    assert_eq!(missing_in(&c, Locale::EN, Locale::RU), Vec::<String>::new());
    assert!(c.keys(Locale::RU).len() > 100);
}

#[test]
fn the_parity_check_fails_on_a_key_one_language_lacks() {
    let c = Catalogue::from_texts(&[
        ("ru", "a.ftl", "one = Один\ntwo = Два\n"),
        ("en", "a.ftl", "one = One\n"),
    ])
    .expect("loads");
    assert_eq!(
        missing_in(&c, Locale::RU, Locale::EN),
        vec!["two".to_owned()]
    );
    assert!(missing_in(&c, Locale::EN, Locale::RU).is_empty());
}

#[test]
fn the_use_check_fails_on_a_key_no_catalogue_has() {
    let c = Catalogue::from_texts(&[("ru", "a.ftl", "one = Один\n")]).expect("loads");
    let uses = key_uses("{{ t(\"one\") }} {{ t(\"nowhere\", n=1) }} key!(\"gone\") format(\"x\")");
    assert_eq!(uses, ["one", "nowhere", "gone"]);
    assert_eq!(missing_keys(&c, &uses), ["gone", "nowhere"]);
}

#[test]
fn russian_plurals_have_three_forms() {
    let c = builtin();
    let hint = |n: i64| c.format(Locale::RU, "password-short", &[("n", Arg::Num(n))]);
    assert!(hint(1).contains("1 символа"), "{}", hint(1));
    assert!(hint(3).contains("3 символов"), "{}", hint(3));
    let body = |m: i64| {
        c.format(
            Locale::RU,
            "message-sign-in-code-body",
            &[
                ("operator", "Банк".into()),
                ("code", "123456".into()),
                ("minutes", m.into()),
            ],
        )
    };
    assert!(body(1).ends_with("1 минуту."), "{}", body(1));
    assert!(body(2).ends_with("2 минуты."), "{}", body(2));
    assert!(body(5).ends_with("5 минут."), "{}", body(5));
    assert!(body(21).ends_with("21 минуту."), "{}", body(21));
    assert!(
        body(5).starts_with("Банк: Код для входа 123456."),
        "{}",
        body(5)
    );
    let en = c.format(
        Locale::EN,
        "message-sign-in-code-body",
        &[
            ("operator", "Bank".into()),
            ("code", "1".into()),
            ("minutes", 1.into()),
        ],
    );
    assert!(en.ends_with("1 minute."), "{en}");
}

#[test]
fn a_third_language_folder_falls_back_key_by_key_to_russian() {
    let dir = std::env::temp_dir().join(format!("propusk-texts-{}", std::process::id()));
    let kk = dir.join("locales/kk");
    std::fs::create_dir_all(&kk).expect("dir");
    std::fs::write(
        kk.join("pages.ftl"),
        "language-name = Қазақша\nsign-in-title = Кіру\n",
    )
    .expect("write");
    let c = Catalogue::load(Some(&dir)).expect("loads");
    let kk = c.find("kk-KZ").expect("kk is a language now");
    assert_eq!(kk.code(), "kk");
    assert_eq!(c.locales().count(), 3);
    assert_eq!(c.name(kk), "Қазақша");
    assert_eq!(c.text(kk, "sign-in-title"), "Кіру");
    assert_eq!(
        c.text(kk, "password-label"),
        c.text(Locale::RU, "password-label")
    );
    assert_eq!(c.text(Locale::EN, "sign-in-title"), "Sign in");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_theme_overrides_one_text_and_keeps_the_rest() {
    let dir = std::env::temp_dir().join(format!("propusk-texts-o-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("locales/ru")).expect("dir");
    std::fs::write(
        dir.join("locales/ru/custom.ftl"),
        "sign-in-title = Вход в Банк\n",
    )
    .expect("write");
    let c = Catalogue::load(Some(&dir)).expect("loads");
    assert_eq!(c.text(Locale::RU, "sign-in-title"), "Вход в Банк");
    assert_eq!(c.text(Locale::RU, "password-label"), "Пароль");
    assert_eq!(c.text(Locale::EN, "sign-in-title"), "Sign in");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_broken_file_names_its_file_and_line() {
    let error = Catalogue::from_texts(&[("ru", "bad.ftl", "ok = Да\n\nbroken = { $\n")])
        .expect_err("refused");
    assert_eq!(error.file, "ru/bad.ftl");
    assert_eq!(error.line, 3, "{error}");
}

#[test]
fn languages_are_negotiated() {
    let c = builtin();
    assert_eq!(c.find("EN_us"), Some(Locale::EN));
    assert_eq!(c.find("de"), None);
    assert_eq!(c.first_of(&["de", "ru-RU"]), Some(Locale::RU));
    assert_eq!(
        c.from_accept_language("de;q=1, en-US;q=0.8, ru;q=0.5"),
        Some(Locale::EN)
    );
    assert_eq!(c.from_accept_language("fr"), None);
}

/// `Accept-Language` and `ui_locales` come from outside: any text is an answer.
#[test]
fn any_accept_language_is_an_answer() {
    use proptest::prelude::*;
    let c = builtin();
    let mut runner = proptest::test_runner::TestRunner::default();
    let header = prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just("ru"),
                Just("en-US"),
                Just(";q="),
                Just("0.5"),
                Just(","),
                Just("*"),
                Just(" "),
                Just("q=1.0000001"),
                Just("-"),
                Just("zz"),
            ],
            0..30
        )
        .prop_map(|parts| parts.concat()),
    ];
    runner
        .run(&header, |header| {
            let _ = c.from_accept_language(&header);
            let _ = c.find(&header);
            let words: Vec<&str> = header.split_whitespace().collect();
            let _ = c.first_of(&words);
            Ok(())
        })
        .expect("never a panic");
}
