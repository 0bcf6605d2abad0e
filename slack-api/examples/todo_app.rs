//! A to-do app: the six tasks of a Slack app's first day, over HTTP or Socket Mode.
//! `SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… cargo run -p slack-api --features app,axum,socket-mode --example todo_app`
//! (port 3000, or `PORT`; set `SLACK_APP_TOKEN` instead of the signing secret for Socket Mode).
use slack_api::app::{Ack, App, Cx};
use slack_api::block_kit::{ButtonElement, InputBlock, ModalView, Mrkdwn, OptionObject, PlainTextInputElement, SectionBlock};
use slack_api::chat::{ChatPostMessageRequest, ChatUpdateRequest};
use slack_api::events::{AppMentionEvent, BlockActions, BlockSuggestion, FunctionExecutedEvent, GlobalShortcut, SlashCommand, ViewSubmission};
use slack_api::views::ViewsOpenRequest;

const PEOPLE: [&str; 4] = ["Ada", "Grace", "Katherine", "Linus"];

pub fn todo_app(client: slack_api::Client) -> App {
    let mut app = App::new(client);

    // 1. Reply in the thread to every mention.
    app.event(|_: AppMentionEvent, cx: Cx| async move {
        cx.reply("Hi! Add a to-do with /todo, or with the “New to-do” shortcut.").await?;
        Ok(())
    });

    // 2. `/todo <text>`: ack at once, then confirm through the command's response_url.
    app.command("/todo", |cmd: SlashCommand, cx: Cx| async move {
        cx.ack();
        cx.respond(format!("Added to your list: {}", cmd.text)).await?;
        Ok(())
    });

    // 3. A shortcut opens a modal; the submission posts the to-do with a "Done" button;
    //    clicking it marks the message done.
    app.shortcut("new_todo", |_: GlobalShortcut, cx: Cx| async move {
        let input = PlainTextInputElement::new().action_id("task");
        let modal = ModalView::new("New to-do", [InputBlock::new("Task", input).block_id("task")])
            .submit("Add")
            .callback_id("new_todo");
        cx.client().call(&ViewsOpenRequest::new(modal).trigger_id(cx.trigger_id().unwrap_or_default())).await?;
        Ok(())
    });
    app.view_submission("new_todo", |sub: ViewSubmission, cx: Cx| async move {
        let state = sub.state().unwrap_or_default();
        let task = state.get("task", "task").and_then(|v| v.value()).unwrap_or_default().trim().to_owned();
        if task.is_empty() {
            cx.ack_with(Ack::errors([("task", "Write what there is to do.")]))?;
            return Ok(());
        }
        cx.ack(); // closes the modal; the post below happens after Slack has its answer
        let user = cx.user_id().map(|u| u.to_string()).unwrap_or_default();
        let todo = SectionBlock::new()
            .text(Mrkdwn::new(format!("*To do:* {}", slack_api::mrkdwn::escape(&task))))
            .accessory(ButtonElement::new("Done").action_id("done").value(task.clone()));
        cx.client().call(&ChatPostMessageRequest::new(user).text(format!("To do: {task}")).blocks([todo])).await?;
        Ok(())
    });
    app.action("done", |act: BlockActions, cx: Cx| async move {
        let (Some(channel), Some(ts)) = (cx.channel_id(), cx.message_ts()) else { return Ok(()) };
        let task = act.actions.unwrap_or_default().first().and_then(|a| a.value().map(str::to_owned)).unwrap_or_default();
        let done = SectionBlock::new().text(Mrkdwn::new(format!("~{}~ :white_check_mark:", slack_api::mrkdwn::escape(&task))));
        cx.client().call(&ChatUpdateRequest::new(channel.clone(), ts.clone()).text(format!("Done: {task}")).blocks([done])).await?;
        Ok(())
    });

    // 4. An external select asks for its options.
    app.options("assignee", |req: BlockSuggestion, cx: Cx| async move {
        let typed = req.value.unwrap_or_default().to_lowercase();
        let matching = PEOPLE.into_iter().filter(|p| p.to_lowercase().starts_with(&typed));
        cx.ack_with(Ack::options(matching.map(|p| OptionObject::new(p, p))))?;
        Ok(())
    });

    // 5. A custom workflow step: complete with outputs, or fail.
    app.function("add_todo", |step: FunctionExecutedEvent, cx: Cx| async move {
        let task = step.inputs.as_ref().and_then(|i| i.get("task")).and_then(|t| t.as_str()).unwrap_or_default();
        if task.trim().is_empty() {
            cx.fail("The step needs a task.").await?;
        } else {
            cx.complete(std::collections::HashMap::from([("todo", format!("To do: {task}"))])).await?;
        }
        Ok(())
    });
    app
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let api = env("SLACK_API_URL").unwrap_or_else(|_| slack_api::DEFAULT_BASE_URL.to_owned());
    let app = todo_app(slack_api::Client::builder(env("SLACK_BOT_TOKEN")?).base_url(api).build()?);

    // 6. The same app over Socket Mode or over HTTP: one line each.
    match env("SLACK_APP_TOKEN") {
        Ok(app_token) => app.serve_socket_mode(app_token).await?,
        Err(_) => app.serve_http(&format!("0.0.0.0:{}", env("PORT").as_deref().unwrap_or("3000")), env("SLACK_SIGNING_SECRET")?).await?,
    }
    Ok(())
}
