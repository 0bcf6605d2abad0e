//! Building, validating and serialising a 50-block message with slack-api's Block Kit types, next
//! to building and serialising the same message with slack-morphism's (which does not validate).
//! Validation's share is slack-api's time with it minus without it.

use criterion::{Criterion, criterion_group, criterion_main};
use slack_api::block_kit::{
    ActionsBlock, ActionsElement, Block, ButtonElement, ButtonElementStyle, ContextBlock, DividerBlock, HeaderBlock,
    Mrkdwn, SectionBlock, Surface, Validator,
};
use slack_morphism::prelude::*;

/// The message: a header, then 49 blocks cycling through a section with a button, a context
/// line, a divider and an actions block of two buttons.
fn ours() -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::with_capacity(50);
    blocks.push(HeaderBlock::new("Deploys this week").into());
    for i in 0..49 {
        blocks.push(match i % 4 {
            0 => SectionBlock::new()
                .text(Mrkdwn::new(format!("*Service {i}* deployed to production by <@U0123456789>")))
                .block_id(format!("section-{i}"))
                .accessory(ButtonElement::new("Details").action_id(format!("details-{i}")).value(i.to_string()))
                .into(),
            1 => ContextBlock::new([Mrkdwn::new(format!("Build {i} · 3 min 12 s · all checks passed"))]).into(),
            2 => DividerBlock::new().into(),
            _ => ActionsBlock::new([
                ActionsElement::from(ButtonElement::new("Roll back").action_id("rollback").style(ButtonElementStyle::Danger)),
                ButtonElement::new("Promote").action_id("promote").style(ButtonElementStyle::Primary).value(i.to_string()).into(),
            ])
            .block_id(format!("actions-{i}"))
            .into(),
        });
    }
    blocks
}

fn theirs() -> Vec<SlackBlock> {
    let mut blocks: Vec<SlackBlock> = Vec::with_capacity(50);
    blocks.push(SlackHeaderBlock::new(SlackBlockPlainText::from("Deploys this week").into()).into());
    for i in 0..49 {
        blocks.push(match i % 4 {
            0 => SlackSectionBlock::new()
                .with_text(SlackBlockMarkDownText::new(format!("*Service {i}* deployed to production by <@U0123456789>")).into())
                .with_block_id(SlackBlockId(format!("section-{i}")))
                .with_accessory(
                    SlackBlockButtonElement::new(SlackBlockPlainText::from("Details").into())
                        .with_action_id(SlackActionId(format!("details-{i}")))
                        .with_value(i.to_string())
                        .into(),
                )
                .into(),
            1 => SlackContextBlock::new(vec![SlackContextBlockElement::MarkDown(SlackBlockMarkDownText::new(format!(
                "Build {i} · 3 min 12 s · all checks passed"
            )))])
            .into(),
            2 => SlackDividerBlock::new().into(),
            _ => SlackActionsBlock::new(vec![
                SlackActionBlockElement::Button(
                    SlackBlockButtonElement::new(SlackBlockPlainText::from("Roll back").into())
                        .with_action_id(SlackActionId("rollback".into()))
                        .with_style(SlackBlockButtonStyle::Danger),
                ),
                SlackActionBlockElement::Button(
                    SlackBlockButtonElement::new(SlackBlockPlainText::from("Promote").into())
                        .with_action_id(SlackActionId("promote".into()))
                        .with_style(SlackBlockButtonStyle::Primary)
                        .with_value(i.to_string()),
                ),
            ])
            .with_block_id(SlackBlockId(format!("actions-{i}")))
            .into(),
        });
    }
    blocks
}

fn validate(blocks: &[Block]) {
    let mut v = Validator::new();
    v.blocks("blocks", blocks, Surface::Message);
    v.finish().expect("the message is valid");
}

fn bench(c: &mut Criterion) {
    // Both build the same message.
    let a: serde_json::Value = serde_json::to_value(ours()).unwrap();
    let b: serde_json::Value = serde_json::to_value(theirs()).unwrap();
    assert_eq!(a, b, "the two messages differ");
    validate(&ours());

    let mut g = c.benchmark_group("block kit 50 blocks");
    g.bench_function("slack-api build+validate+serialise", |bn| {
        bn.iter(|| {
            let blocks = ours();
            validate(&blocks);
            serde_json::to_string(&blocks).unwrap()
        })
    });
    g.bench_function("slack-api build+serialise", |bn| bn.iter(|| serde_json::to_string(&ours()).unwrap()));
    g.bench_function("slack-api validate", |bn| {
        let blocks = ours();
        bn.iter(|| validate(&blocks))
    });
    g.bench_function("slack-morphism build+serialise", |bn| bn.iter(|| serde_json::to_string(&theirs()).unwrap()));
    // The parts.
    g.bench_function("slack-api build", |bn| bn.iter(ours));
    g.bench_function("slack-morphism build", |bn| bn.iter(theirs));
    let (a, b) = (ours(), theirs());
    g.bench_function("slack-api serialise", |bn| bn.iter(|| serde_json::to_string(&a).unwrap()));
    g.bench_function("slack-morphism serialise", |bn| bn.iter(|| serde_json::to_string(&b).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
