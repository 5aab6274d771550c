//! One person's profile (`rapport person`), read with as little of a large
//! vault as the answer needs: for someone with a note, only the meetings,
//! notes and tasks that name them, found from the index's columns, and on
//! two cores where the reads do not depend on each other.

use super::{Result, Session, label};
use crate::index::{DocRef, Facts, MeetingFilter, MeetingRead, MentionFact, Snapshot};
use crate::joined;
use crate::query::{self, Network, NotFound, PersonId};
use crate::vault::TaskRecord;
use crate::vault::refs::ref_key;

/// What a profile is built from.
struct Read {
    net: Network,
    id: PersonId,
    mentions: Vec<query::Mention>,
    tasks: Vec<TaskRecord>,
}

/// What an answer was built from: the network and tasks read. Freeing
/// them takes milliseconds (thousands of meetings and notes), which a
/// process about to exit can leave to its exit.
pub struct Parts {
    _net: Network,
    _tasks: Vec<TaskRecord>,
}

impl Parts {
    pub(super) fn of(net: Network, tasks: Vec<TaskRecord>) -> Parts {
        Parts {
            _net: net,
            _tasks: tasks,
        }
    }
}

impl Session {
    /// One person's profile (`rapport person`); [`super::Error::NotFound`]
    /// when the name names nobody or several people.
    pub fn person(&self, name: &str) -> Result<query::Profile> {
        self.person_and_parts(name).map(|(profile, _)| profile)
    }

    /// [`Session::person`], with what the profile was built from handed
    /// back instead of freed.
    pub fn person_and_parts(&self, name: &str) -> Result<(query::Profile, Parts)> {
        let snap = self.index.snapshot();
        // Whose meetings and mentions to read is known once the person
        // notes are: what does not depend on it is prepared meanwhile, on
        // the other core, for someone with a note (the usual case).
        let (known, prepared) = std::thread::scope(|s| {
            let prepared = s.spawn(|| prepare(&snap));
            let known = self.people_notes(&snap).map(Network::of_people);
            (known, joined(prepared))
        });
        let known = known?;
        let read = match query::find(&known, name) {
            Ok(id) => with_note(&snap, known, id, prepared?)?,
            Err(e @ NotFound::Ambiguous { .. }) => return Err(e.into()),
            Err(_) => known_by_name(&snap, known, name)?,
        };
        let Read {
            mut net,
            id,
            mut mentions,
            tasks,
        } = read;
        mentions.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
        // The tasks' texts are as shown (the due date is shown beside each:
        // the text carries no signifier, link syntax or comment).
        let profile = query::profile(&mut net, id, mentions, &tasks, self.today);
        Ok((profile, Parts::of(net, tasks)))
    }
}

/// What reading someone's meetings and mentions needs before knowing
/// whose they are: the segments to read, every reference text interned
/// and the texts' keys (the join resolves each of them).
fn prepare(snap: &Snapshot) -> Result<(MeetingRead<'_>, Vec<String>)> {
    let mut read = snap.prepare_meetings(&MeetingFilter::default(), true)?;
    read.with_mentions(true)?;
    let keys = read.refs().iter().map(|r| ref_key(r)).collect();
    Ok((read, keys))
}

/// Someone with a note: only the meetings and notes that name them are
/// read. Their open tasks are read on another core meanwhile, and so are
/// the meetings' paths and titles while the network is joined: a person note's id
/// resolves the same in `known` as in the joined network.
fn with_note(
    snap: &Snapshot,
    known: Network,
    id: PersonId,
    (read, keys): (MeetingRead<'_>, Vec<String>),
) -> Result<Read> {
    let them = known.matcher(id);
    let is_them = |text: &str| them.is(text);
    // Which attendee texts name them, once for both reads below.
    let passes = read.attendee_passes(&is_them);
    let (mut facts, tasks, mut labels) = std::thread::scope(|s| -> Result<_> {
        let tasks = s.spawn(|| snap.open_tasks_shown(&is_them, &passes));
        let facts = read.facts_passing(&passes, Some(&is_them))?;
        // The meetings' labels, segment by segment, while the tasks are
        // still being read (the rest below).
        let mut labels = Labels::of(&facts);
        while !tasks.is_finished() && labels.next(snap)? {}
        Ok((facts, joined(tasks)?, labels))
    })?;
    // `them` borrows `known`, which the join takes over.
    drop(them);
    let mention_facts = std::mem::take(&mut facts.mentions);
    let mention_docs: Vec<DocRef> = mention_facts.iter().map(|m| m.doc).collect();
    std::thread::scope(|s| {
        let rest = s.spawn(|| -> Result<Labels> {
            while labels.next(snap)? {}
            Ok(labels)
        });
        let mut net = known.join_keyed(facts, None, keys);
        // Joining takes less time than the labels: the mentions' paths
        // are read here meanwhile.
        let paths = snap.paths(&mention_docs)?;
        let mut labels = joined(rest)?.done;
        // The meetings keep the order they were read in (no project
        // filter): their labels are at the same places.
        for i in mine(&net, id) {
            if let (Some(m), Some((path, title))) = (net.meetings.get_mut(i), labels.get_mut(i)) {
                m.path = std::mem::take(path);
                m.title = std::mem::take(title);
            }
        }
        let mentions = mentions(&net, id, &mention_facts, paths);
        Ok(Read {
            net,
            id,
            mentions,
            tasks,
        })
    })
}

/// The paths and titles of a person's meetings, read one segment at a
/// time (each segment's dictionaries are scanned once), in the order of
/// the meetings.
struct Labels {
    docs: Vec<DocRef>,
    /// The meetings of each segment not read yet (indices into `docs`),
    /// the largest last.
    todo: Vec<Vec<usize>>,
    done: Vec<(String, String)>,
}

impl Labels {
    fn of(facts: &Facts) -> Labels {
        let docs: Vec<DocRef> = facts.meetings.iter().map(|m| m.doc).collect();
        let mut by_segment: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (i, d) in docs.iter().enumerate() {
            by_segment.entry(d.segment()).or_default().push(i);
        }
        let mut todo: Vec<Vec<usize>> = by_segment.into_values().collect();
        todo.sort_by_key(Vec::len);
        let done = vec![(String::new(), String::new()); docs.len()];
        Labels { docs, todo, done }
    }

    /// Reads the next segment's labels; false when none was left.
    fn next(&mut self, snap: &Snapshot) -> Result<bool> {
        let Some(idxs) = self.todo.pop() else {
            return Ok(false);
        };
        let docs: Vec<DocRef> = idxs.iter().map(|i| self.docs[*i]).collect();
        for (i, label) in idxs.into_iter().zip(snap.labels(&docs)?) {
            self.done[i] = label;
        }
        Ok(true)
    }
}

/// Someone known only from attendee lists (or a name that is a word of
/// someone's): every meeting is needed to find them.
fn known_by_name(snap: &Snapshot, known: Network, name: &str) -> Result<Read> {
    let mut facts: Facts = snap.meetings_with(&MeetingFilter::default())?;
    snap.mentions(&mut facts, None)?;
    let mention_facts = std::mem::take(&mut facts.mentions);
    let mut net = known.join(facts, None);
    let id = query::find(&net, name)?;
    let chosen = mine(&net, id);
    label(snap, &mut net, &chosen)?;
    let linking: Vec<MentionFact> = mention_facts
        .into_iter()
        .filter(|m| links_to(&net, id, m))
        .collect();
    let paths = snap.paths(&linking.iter().map(|m| m.doc).collect::<Vec<_>>())?;
    let mentions = mentions(&net, id, &linking, paths);
    let them = net.matcher(id);
    let tasks = snap.open_tasks_shown(&|r: &str| them.is(r), &[])?;
    drop(them);
    Ok(Read {
        net,
        id,
        mentions,
        tasks,
    })
}

/// The meetings `id` attended (indices into `net.meetings`).
fn mine(net: &Network, id: PersonId) -> Vec<usize> {
    (0..net.meetings.len())
        .filter(|i| net.meetings[*i].attendees.contains(&id))
        .collect()
}

/// True when one of a note's links resolves to `id`.
fn links_to(net: &Network, id: PersonId, m: &MentionFact) -> bool {
    m.links
        .iter()
        .any(|l| net.ref_ids.get(*l as usize) == Some(&id))
}

/// The notes among `facts` (with their `paths`, in the same order) that
/// link to `id`, but not their own note.
fn mentions(
    net: &Network,
    id: PersonId,
    facts: &[MentionFact],
    paths: Vec<String>,
) -> Vec<query::Mention> {
    let own = net.note(id).map(|n| n.path.as_str());
    facts
        .iter()
        .zip(paths)
        .filter(|(m, path)| links_to(net, id, m) && Some(path.as_str()) != own)
        .map(|(m, path)| query::Mention { date: m.date, path })
        .collect()
}
