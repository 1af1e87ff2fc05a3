//! Formats a large progenitor output on more than one core.
//!
//! Parsing progenitor's tokens with syn and printing them with prettyplease costs more than
//! progenitor's own run on a large document, and it is work on independent items. The pieces are
//! the client file's items and the `types` module's, in runs that end where an item ends; the
//! module is printed as a file of its own (`types.rs`) so that its items print at the top level,
//! where a piece printed alone is printed exactly as it would be among the others.
//!
//! The tokens cannot cross threads (`proc_macro2::TokenStream` is neither `Send` nor `Sync`).
//! This thread prints pieces from the front, straight from their tokens; for the pool's other
//! threads it writes pieces from the back out as text (about an eighth of the cost of formatting
//! one), which they parse and print. Text is read back to the same tokens (a test holds the
//! printed results together), except that an invisible group would be lost, which progenitor
//! does not write.
//!
//! A cut is found by looking at tokens only (an item ends with `;` or a `{...}` body, and the next
//! one starts with `#` or a keyword), then proven by parsing: pieces that each parse as a list of
//! items parse the same as their concatenation, since an item list has one parse. A piece that
//! does not parse is not trusted: the module is then parsed and printed whole.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use anyhow::{Context, anyhow};
use proc_macro2::{Delimiter, Punct, Spacing, TokenStream, TokenTree};

use crate::progenitor::models::Reshape;
use crate::progenitor::run::Flavor;

/// The two files of a formatted standalone client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    /// The client, with `pub mod types;` where progenitor wrote the module inline.
    pub client: String,
    /// The `types` module's items, formatted as a file of their own.
    pub types: String,
}

/// Pieces per thread of the pool: enough that a thread that finishes early can take over the rest.
const PIECES_PER_THREAD: usize = 8;

/// Formats progenitor's `tokens` as two files ([`Formatted`]), on this thread and the pool's:
/// the client's items and the models, each in pieces, and at the end of each the items `late`
/// gives (the client's, the models'), which this thread makes once the pool's other threads have
/// pieces to print. This thread takes pieces from the front and prints them from their tokens;
/// the other threads take them from the back as text, which this thread writes for them (two
/// pieces ahead of each) between its own.
///
/// The tokens are borrowed (the pieces share their trees), so that the caller decides when the
/// trees are freed, which takes longer than printing them.
pub fn format(
    tokens: &TokenStream,
    reshape: &Reshape,
    late: impl FnOnce() -> (TokenStream, TokenStream),
) -> anyhow::Result<Formatted> {
    let (outer, items) = cut_types_module(tokens.clone())?;
    let mut files: [Vec<TokenTree>; 4] = [outer.into_iter().collect(), items, Vec::new(), Vec::new()];
    let pieces = rayon::current_num_threads() * PIECES_PER_THREAD;
    let mut bounds = [0, 1, 2, 3].map(|file| piece_bounds(&files[file], pieces));
    let ahead = 2 * rayon::current_num_threads().saturating_sub(1);
    // The models' last pieces, handed out before the late items are made.
    let early: Vec<(usize, usize)> = (0..bounds[1].len() - 1).rev().take(ahead).map(|piece| (1, piece)).collect();
    let (to_caller, printed) = mpsc::channel();
    let queued = AtomicUsize::new(0);
    rayon::in_place_scope(|scope| {
        let hand_out = |files: &[Vec<TokenTree>; 4], bounds: &[Vec<usize>; 4], (file, piece): (usize, usize)| {
            let run = &files[file][bounds[file][piece]..bounds[file][piece + 1]];
            let text = TokenStream::from_iter(run.iter().cloned()).to_string();
            queued.fetch_add(1, Ordering::AcqRel);
            let (to_caller, queued) = (to_caller.clone(), &queued);
            scope.spawn(move |_| {
                queued.fetch_sub(1, Ordering::AcqRel);
                let printed = syn::parse_str::<syn::File>(&text).ok().map(|parsed| print(parsed, file, reshape));
                let _ = to_caller.send((file, piece, printed));
            });
        };
        for &piece in &early {
            hand_out(&files, &bounds, piece);
        }
        let (client, models) = late();
        files[2] = client.into_iter().collect();
        files[3] = models.into_iter().collect();
        bounds[2] = piece_bounds(&files[2], pieces);
        bounds[3] = piece_bounds(&files[3], pieces);
        // Every piece not handed out yet, as (file, piece), the client's first.
        let order: Vec<(usize, usize)> = [0, 2, 1, 3]
            .into_iter()
            .flat_map(|file| (0..bounds[file].len() - 1).map(move |piece| (file, piece)))
            .filter(|piece| !early.contains(piece))
            .collect();
        let unclaimed = Mutex::new(0..order.len());
        let claim = |from_back: bool| {
            let mut unclaimed = unclaimed.lock().unwrap_or_else(PoisonError::into_inner);
            if from_back { unclaimed.next_back() } else { unclaimed.next() }
        };
        loop {
            while queued.load(Ordering::Acquire) < ahead
                && let Some(index) = claim(true)
            {
                hand_out(&files, &bounds, order[index]);
            }
            let Some(index) = claim(false) else { break };
            let (file, piece) = order[index];
            let run = &files[file][bounds[file][piece]..bounds[file][piece + 1]];
            let tokens = TokenStream::from_iter(run.iter().cloned());
            let printed = syn::parse2::<syn::File>(tokens).ok().map(|parsed| print(parsed, file, reshape));
            let _ = to_caller.send((file, piece, printed));
        }
    });
    drop(to_caller);
    let mut by_file: [Vec<(usize, String)>; 4] = Default::default();
    for (file, piece, text) in printed {
        if let Some(text) = text {
            by_file[file].push((piece, text));
        }
    }
    // Each file's text, in file order; the first that does not parse is the error.
    let texts = by_file
        .into_iter()
        .enumerate()
        .map(|(file, printed)| assemble(&files[file], &bounds[file], printed.into_iter()))
        .collect::<syn::Result<Vec<String>>>()
        .context("progenitor produced Rust that does not parse")?;
    Ok(Formatted { client: format!("{}{}", texts[0], texts[2]), types: format!("{}{}", texts[1], texts[3]) })
}

/// Prints a parsed piece of `file` (0: the client, 1: the models, reshaped as `reshape` says, 2:
/// the late client items, 3: the late models, reshaped too).
fn print(mut parsed: syn::File, file: usize, reshape: &Reshape) -> String {
    if file % 2 == 1 {
        crate::progenitor::models::reshape_models(&mut parsed.items, Flavor::Standalone, reshape);
    }
    prettyplease::unparse(&parsed)
}

/// The SDK's `generated.rs`: progenitor's file and the methods, parsed, its models reshaped to
/// grow (see [`crate::progenitor::models`]) and printed as one file.
pub fn print_sdk(tokens: TokenStream, reshape: &Reshape) -> anyhow::Result<String> {
    let mut file: syn::File = syn::parse2(tokens).context("the generated client does not parse")?;
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "types"
            && let Some((_, items)) = &mut module.content
        {
            crate::progenitor::models::reshape_models(items, Flavor::Sdk, reshape);
        }
    }
    Ok(prettyplease::unparse(&file))
}

/// Puts the printed pieces in order; a piece no worker printed is printed here, and when one does
/// not parse, the items are printed whole.
fn assemble(
    items: &[TokenTree],
    bounds: &[usize],
    printed: impl Iterator<Item = (usize, String)>,
) -> syn::Result<String> {
    let mut slots: Vec<Option<String>> = vec![None; bounds.len().saturating_sub(1)];
    for (piece, text) in printed {
        if let Some(slot) = slots.get_mut(piece) {
            *slot = Some(text);
        }
    }
    let mut whole = String::new();
    for (run, slot) in bounds.windows(2).zip(slots) {
        match slot.map_or_else(|| print_items(&items[run[0]..run[1]]), Ok) {
            Ok(text) => whole.push_str(&text),
            Err(_) => return print_items(items),
        }
    }
    Ok(whole)
}

/// Parses `items` as a file and prints it.
fn print_items(items: &[TokenTree]) -> syn::Result<String> {
    print_file(items.iter().cloned().collect())
}

fn print_file(tokens: TokenStream) -> syn::Result<String> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(prettyplease::unparse(&file))
}

/// Splits progenitor's file at its `types` module: the file with `pub mod types;` where the
/// module's body was (its attributes stay on the declaration), and the module's items.
pub fn cut_types_module(tokens: TokenStream) -> anyhow::Result<(TokenStream, Vec<TokenTree>)> {
    let mut outer: Vec<TokenTree> = tokens.into_iter().collect();
    let at = outer
        .windows(3)
        .position(|window| match window {
            [TokenTree::Ident(keyword), TokenTree::Ident(name), TokenTree::Group(body)] => {
                keyword == "mod" && name == "types" && body.delimiter() == Delimiter::Brace
            }
            _ => false,
        })
        .ok_or_else(|| anyhow!("progenitor's output has no `types` module"))?;
    let body = std::mem::replace(&mut outer[at + 2], TokenTree::Punct(Punct::new(';', Spacing::Alone)));
    let TokenTree::Group(body) = body else { return Err(anyhow!("progenitor's `types` module has no body")) };
    Ok((outer.into_iter().collect(), body.stream().into_iter().collect()))
}

/// Where the items are cut into at most `pieces` runs of about equal length: the first index of
/// each run, then `items.len()`. Every cut is between a token that can end an item and one that
/// can start the next.
fn piece_bounds(items: &[TokenTree], pieces: usize) -> Vec<usize> {
    let mut bounds = vec![0];
    for piece in 1..pieces {
        let mut at = (items.len() * piece / pieces).max(bounds[bounds.len() - 1] + 1);
        while at < items.len() && !(ends_item(&items[at - 1]) && starts_item(&items[at])) {
            at += 1;
        }
        if at < items.len() {
            bounds.push(at);
        }
    }
    bounds.push(items.len());
    bounds.dedup();
    bounds
}

/// Every item of `items`, as a range: a cut between each token that can end an item and the next,
/// when that one can start an item (see [`piece_bounds`]).
pub fn item_ranges(items: &[TokenTree]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for at in 1..items.len() {
        if ends_item(&items[at - 1]) && starts_item(&items[at]) {
            ranges.push(start..at);
            start = at;
        }
    }
    if start < items.len() {
        ranges.push(start..items.len());
    }
    ranges
}

fn ends_item(tree: &TokenTree) -> bool {
    match tree {
        TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
        TokenTree::Punct(punct) => punct.as_char() == ';',
        _ => false,
    }
}

/// Keywords an item can start with (after its attributes, which start with `#`).
const ITEM_KEYWORDS: [&str; 12] =
    ["pub", "impl", "struct", "enum", "fn", "mod", "use", "const", "static", "type", "trait", "unsafe"];

fn starts_item(tree: &TokenTree) -> bool {
    match tree {
        TokenTree::Punct(punct) => punct.as_char() == '#',
        TokenTree::Ident(ident) => ITEM_KEYWORDS.iter().any(|keyword| ident == keyword),
        _ => false,
    }
}

/// progenitor's file with what `emit` adds: `types` at the end of the `types` module, `client`
/// at the end of the file; progenitor's own `impl Client {}`, empty now that the methods are
/// `emit`'s, is left out, and so are the items of the operations' `holders` (see
/// [`crate::progenitor::input`]), before anything parses or prints them.
pub fn splice(
    tokens: TokenStream,
    types: TokenStream,
    client: TokenStream,
    holders: &HashSet<String>,
) -> anyhow::Result<TokenStream> {
    use proc_macro2::Group;
    let outer: Vec<TokenTree> = tokens.into_iter().collect();
    let mut assembled: Vec<TokenTree> = Vec::with_capacity(outer.len() + 1);
    let mut found = false;
    for range in item_ranges(&outer) {
        let item = &outer[range];
        let is_empty_client_impl = matches!(item, [.., TokenTree::Ident(keyword), TokenTree::Ident(name), TokenTree::Group(body)]
            if keyword == "impl" && name == "Client" && body.delimiter() == Delimiter::Brace && body.stream().is_empty());
        if is_empty_client_impl {
            continue;
        }
        let mut item = item.to_vec();
        if let [.., TokenTree::Ident(keyword), TokenTree::Ident(name), TokenTree::Group(body)] = item.as_mut_slice()
            && keyword == "mod"
            && name == "types"
            && body.delimiter() == Delimiter::Brace
        {
            let models: Vec<TokenTree> = body.stream().into_iter().collect();
            let mut stream: TokenStream = item_ranges(&models)
                .into_iter()
                .filter(|range| !is_about_a_holder(&models[range.clone()], holders))
                .flat_map(|range| models[range].iter().cloned())
                .collect();
            stream.extend(types.clone());
            let mut group = Group::new(Delimiter::Brace, stream);
            group.set_span(body.span());
            *body = group;
            found = true;
        }
        assembled.extend(item);
    }
    if !found {
        anyhow::bail!("progenitor's output has no `types` module");
    }
    let mut tokens: TokenStream = assembled.into_iter().collect();
    tokens.extend(client);
    Ok(tokens)
}

/// Whether `item` (one item's tokens, as progenitor writes them) defines one of `holders` (a
/// `struct` or `enum` of that name) or implements one (an `impl` whose type, the name right
/// before its body, is one: `impl Holder {..}`, `impl From<&Holder> for Holder {..}`).
fn is_about_a_holder(item: &[TokenTree], holders: &HashSet<String>) -> bool {
    let is_holder = |tree: &TokenTree| matches!(tree, TokenTree::Ident(name) if holders.contains(&name.to_string()));
    let keyword = item.iter().position(|tree| {
        matches!(tree, TokenTree::Ident(keyword) if keyword == "struct" || keyword == "enum" || keyword == "impl")
    });
    match keyword.map(|at| (&item[at], &item[at..])) {
        Some((TokenTree::Ident(keyword), [_, name, ..])) if keyword != "impl" => is_holder(name),
        Some((_, [.., TokenTree::Ident(before), name, TokenTree::Group(body)])) => {
            body.delimiter() == Delimiter::Brace && (before == "for" || before == "impl") && is_holder(name)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{assemble, cut_types_module, format, is_about_a_holder, piece_bounds, print_items};

    #[test]
    fn a_holders_items_are_told_from_the_others() {
        let holders = ["GetThing".to_owned()].into_iter().collect();
        let about =
            |tokens: proc_macro2::TokenStream| is_about_a_holder(&tokens.into_iter().collect::<Vec<_>>(), &holders);
        assert!(about(quote::quote!(
            #[derive(Debug)]
            pub struct GetThing {
                pub id: String,
            }
        )));
        assert!(about(
            quote::quote!(impl ::std::convert::From<&GetThing> for GetThing { fn from(value: &GetThing) -> Self { value.clone() } })
        ));
        assert!(about(quote::quote!(impl GetThing { pub fn new() {} })));
        assert!(about(quote::quote!(
            pub enum GetThing {
                A,
            }
        )));
        assert!(!about(quote::quote!(
            pub struct GetThingId(String);
        )));
        assert!(!about(quote::quote!(
            pub struct Thing {
                pub get: GetThing,
            }
        )));
        assert!(!about(
            quote::quote!(impl ::std::convert::From<GetThing> for Thing { fn from(value: GetThing) -> Self { todo!() } })
        ));
        assert!(!about(quote::quote!(
            impl<'a> Wrapper<'a, GetThing> {}
        )));
        assert!(!about(quote::quote!(
            pub mod defaults {
                pub fn get_thing() {}
            }
        )));
    }

    fn sample() -> proc_macro2::TokenStream {
        let mut items = Vec::new();
        for index in 0..40 {
            let name = quote::format_ident!("Thing{index}");
            items.push(quote::quote! {
                #[doc = "A thing."]
                #[derive(Clone, Debug)]
                pub struct #name { pub value: ::std::string::String }
                impl #name { pub fn new() -> Self { Self { value: ::std::string::String::new() } } }
                const _: () = { let _ = 1; };
                pub struct Wrapped(pub u8);
            });
        }
        quote::quote! {
            pub use progenitor_client::Error;
            /// Types.
            #[allow(clippy::all)]
            pub mod types { #(#items)* }
            pub struct Client;
        }
    }

    #[test]
    fn pieces_printed_apart_are_the_module_printed_whole() {
        let (_, items) = cut_types_module(sample()).expect("a types module");
        let whole = print_items(&items).expect("parses");
        for pieces in [2, 3, 7, 16, 500] {
            let bounds = piece_bounds(&items, pieces);
            assert!(bounds.len() > 2, "{pieces} pieces cut somewhere");
            let joined: String =
                bounds.windows(2).map(|run| print_items(&items[run[0]..run[1]]).expect("a piece parses")).collect();
            assert_eq!(joined, whole, "{pieces} pieces");
        }
    }

    #[test]
    fn a_cut_never_separates_a_body_from_its_semicolon() {
        let (_, items) = cut_types_module(sample()).expect("a types module");
        for cut in piece_bounds(&items, 500) {
            if let Some(proc_macro2::TokenTree::Punct(punct)) = items.get(cut) {
                assert_ne!(punct.as_char(), ';');
            }
        }
    }

    #[test]
    fn the_client_declares_the_module_and_workers_agree() {
        let one = format(&sample(), &Default::default(), Default::default).expect("formats");
        let again = crate::pool::install(|| format(&sample(), &Default::default(), Default::default).expect("formats"));
        assert_eq!(one, again);
        let (_, items) = cut_types_module(sample()).expect("a types module");
        assert_eq!(one.types, print_items(&items).expect("parses"), "the pieces print as the whole does");
        assert!(one.client.contains("pub mod types;"), "{}", one.client);
        assert!(one.client.contains("#[allow(clippy::all)]"), "{}", one.client);
        let first = one.types.find("pub struct Thing0 ").expect("the first model");
        let last = one.types.find("pub struct Thing39 ").expect("the last model");
        assert!(first < last, "the models keep their order");
    }

    #[test]
    fn late_items_print_as_if_they_had_been_spliced_in() {
        let late_client = || quote::quote!(impl Client { pub fn get(&self) -> u8 { 1 } });
        let late_models = || {
            quote::quote!(
                #[derive(Debug)]
                pub enum Outcome {
                    A,
                    B,
                }
            )
        };
        let spliced = super::splice(sample(), late_models(), late_client(), &Default::default()).expect("splices");
        let whole = format(&spliced, &Default::default(), Default::default).expect("formats");
        let late = crate::pool::install(|| {
            format(&sample(), &Default::default(), || (late_client(), late_models())).expect("formats")
        });
        assert_eq!(late, whole);
        assert!(late.types.ends_with("pub enum Outcome {\n    A,\n    B,\n}\n"), "{}", late.types);
        assert!(late.client.contains("pub fn get(&self) -> u8"), "{}", late.client);
    }

    #[test]
    fn a_piece_that_does_not_parse_falls_back_to_the_whole_module() {
        let tokens = quote::quote!(pub struct A {} impl A {} pub struct C {});
        let items: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
        let whole = print_items(&items).expect("parses");
        // A cut inside `pub struct A {}`: neither piece parses alone.
        let cut = [0, 2, items.len()];
        assert_eq!(assemble(&items, &cut, std::iter::empty()).expect("falls back"), whole);
        // A piece a worker printed is taken as it is.
        let good = [0, 4, items.len()];
        let printed = vec![(0, "first\n".to_owned())];
        assert_eq!(
            assemble(&items, &good, printed.into_iter()).expect("assembles"),
            format!("first\n{}", print_items(&items[4..]).expect("parses"))
        );
    }

    #[test]
    fn output_without_a_types_module_is_an_error() {
        let error = format(
            &quote::quote!(
                pub struct Client;
            ),
            &Default::default(),
            Default::default,
        )
        .expect_err("no module");
        assert!(error.to_string().contains("no `types` module"), "{error}");
    }
}
