"""Event detection: which sentences report a conflict event, of which ACLED type, between whom.

Part of the event stage. For each trigger the matchers found, reads its arguments from the
dependency parse (the doer, what was acted on), tests them against each rule's constraints, and keeps
the most specific rule that holds; negative cues (disasters, crime, diplomacy, sport, claims of
responsibility) lower confidence so that a text about an earthquake or an expelled diplomat yields no
event. Returns one ``EventMention`` per event and sentence, with fatalities when stated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..actors import ActorMatch
from ..records import Actor, Evidence
from .matcher import PLACE_ENTS, Compiled, DocView, compiled, read_view
from .scope import happened
from .vocab import EXPLOSIVE_CUE, TARGET_CUES, TARGET_KINDS, EventMention, EventTypesFile, EventVocab

__all__ = ["detect_events"]


def _subject(verb: Token) -> Token | None:
    """The doer of a verb: its subject, the "by" phrase of a passive, or the subject of the
    verb it is chained to ("the militants raided Tolomba, killing two people")."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            return None
        for child in current.children:
            if child.dep_ in ("nsubj", "csubj"):
                # "gangs that have killed dozens": the doer is the noun the clause hangs on.
                if child.tag_ in ("WDT", "WP") and current.dep_ == "relcl":
                    return current.head
                return child
            if child.dep_ == "agent":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        if current.dep_ in ("conj", "xcomp", "advcl", "ccomp", "pcomp") and current.head.i != current.i:
            current = current.head
        elif current.dep_ == "acl" and current.head.dep_ in ("nsubj", "nsubjpass"):
            return None
        else:
            return None
    return None


def _arguments(anchor: Token, trigger: Span, actor_tokens: set[int]) -> tuple[Token | None, Token | None]:
    """Actor1 and actor2 heads for a trigger, read from the dependency parse.

    Verbs: subject (or passive "by") acts on the object (or passive subject, or "on"/"against"
    phrase). Event nouns: a possessor, a "Ruritanian" / "rebel" modifier or a "by" phrase acts;
    an "on" / "against" phrase is acted on; a noun that is the object of "launched" / "carried
    out" takes that verb's subject.
    """
    agent: Token | None = None
    target: Token | None = None
    hands = _at_hands_of(anchor)
    if anchor.pos_ in ("VERB", "AUX"):
        agent = hands or _subject(anchor)
        # "opened fire on a bus": the object "fire" belongs to the trigger, the target is "bus".
        inside = set(range(trigger.start, trigger.end))
        heads = [anchor, *(t for t in trigger if t.i != anchor.i)]
        children = [c for h in heads for c in h.children if c.i not in inside]
        for child in children:
            if child.dep_ in ("dobj", "nsubjpass", "obj") and target is None:
                target = child
        if target is None:
            for child in children:
                if child.dep_ == "prep" and child.lower_ in ("on", "against", "at", "into", "in", "from"):
                    target = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if target is not None:
                        break
        if target is None:
            # "took full control of the town": the trigger's own object carries the target;
            # "advanced on most districts": so does the object of the trigger's own preposition.
            target = next((t for t in trigger if t.head.i == anchor.i and t.dep_ in ("dobj", "obj")), None)
        if target is None:
            preps = [t for t in trigger if t.head.i == anchor.i and t.dep_ == "prep"]
            target = next((g for p in preps for g in p.children if g.dep_ == "pobj"), None)
        if target is None and anchor.dep_ == "acl" and anchor.tag_ == "VBN":
            target = anchor.head
        return agent, target
    for child in anchor.children:
        if child.dep_ in ("poss", "amod", "compound", "nmod") and agent is None and child.i in actor_tokens:
            agent = child
        elif child.dep_ == "prep" and child.lower_ == "by":
            agent = next((g for g in child.children if g.dep_ == "pobj"), agent)
        elif child.dep_ == "prep" and child.lower_ in ("between", "among", "with") and agent is None:
            # "the war between the army and the militia": both sides, in the order given.
            first = next((g for g in child.children if g.dep_ == "pobj"), None)
            if first is not None:
                agent = first
                target = next((c for c in first.children if c.dep_ == "conj"), target)
        elif child.dep_ == "prep" and child.lower_ in ("on", "against", "targeting", "at", "of"):
            target = next((g for g in child.children if g.dep_ == "pobj"), target)
        elif child.dep_ == "acl":
            by = _subject(child)
            agent = by or agent
    agent = hands or agent
    if anchor.dep_ in ("dobj", "pobj", "attr") and anchor.head.pos_ == "VERB":
        # "police fired tear gas at protesters": the verb's subject and "at" phrase.
        verb = anchor.head
        agent = agent or _at_hands_of(verb) or _subject(verb)
        if target is None:
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in ("on", "against", "at", "into"):
                    target = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if target is not None:
                        break
    return agent, target


def _at_hands_of(tok: Token) -> Token | None:
    """ "atrocities at the hands of the militia", "killed at the hands of soldiers": the doer."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "at":
            for hands in prep.children:
                if hands.dep_ == "pobj" and hands.lower_ == "hands":
                    for of in hands.children:
                        if of.dep_ == "prep" and of.lower_ == "of":
                            return next((g for g in of.children if g.dep_ == "pobj"), None)
    return None


def _actor_for(head: Token | None, view: DocView) -> ActorMatch | None:
    """The actor a role head refers to: the one on the head itself, else the nearest in its
    phrase. A bare country name counts only on the head, so "a village in Nigeria" is not
    read as an attack on Nigeria's army."""
    if head is None:
        return None
    if head.i in view.actor_at:
        own = view.actor_at[head.i]
        if not own.fallback:
            return own
        for child in head.children:
            named = view.actor_at.get(child.i)
            if child.dep_ in ("compound", "amod", "nmod", "poss") and named and not named.fallback:
                return named
        return own
    best: ActorMatch | None = None
    best_distance = 1_000
    for i in range(head.left_edge.i, head.right_edge.i + 1):
        match = view.actor_at.get(i)
        if match is None or match.bare:
            continue
        if abs(i - head.i) < best_distance:
            best, best_distance = match, abs(i - head.i)
    return best


def _head_group(head: Token) -> set[int]:
    """The head noun with its conjuncts, modifiers and "of" complement: "a cache of rifles and
    grenades" is about weapons, "a commander of the explosives unit" is not."""
    group = {head.i}
    for child in head.children:
        if child.dep_ in ("conj", "compound", "amod", "appos"):
            group |= _head_group(child)
        elif child.dep_ == "prep" and child.lower_ == "of":
            group |= {g.i for g in child.children if g.dep_ == "pobj"}
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    group |= {c.i for c in pobj.children if c.dep_ == "conj"}
    return group


def _target_kinds(head: Token | None, actor: ActorMatch | None, view: DocView) -> set[str]:
    """What the acted-on phrase is: armed, civilian, territory, weapons, base (may be several)."""
    kinds: set[str] = set()
    if head is None:
        return kinds
    if actor is not None:
        kinds |= {t for t in actor.tags if t in TARGET_KINDS}
    span = range(head.left_edge.i, head.right_edge.i + 1)
    group = _head_group(head)
    for cue, kind in TARGET_CUES.items():
        tokens = view.cue_tokens.get(cue, set())
        # Territory may sit deep in the phrase ("control of parts of the town"); the rest must
        # be the head noun or its coordinated and "of" nouns.
        scope = span if kind == "territory" else group
        if any(i in tokens for i in scope):
            kinds.add(kind)
    if head.ent_type_ in PLACE_ENTS or any(head.doc[i].ent_type_ in PLACE_ENTS for i in span):
        kinds.add("territory")
    return kinds


def _agent_ok(rule: str, agent: ActorMatch | None, agent_head: Token | None) -> bool:
    if rule == "any":
        return True
    if rule == "none":
        return agent_head is None
    if rule.startswith("not_"):
        return agent is None or rule[4:] not in agent.tags
    return agent is not None and rule in agent.tags


def _target_ok(rule: str, kinds: set[str], head: Token | None) -> bool:
    if rule == "any":
        return True
    if rule == "none":
        return head is None
    if rule.startswith("not_"):
        return rule[4:] not in kinds
    return rule in kinds


def _cues_near(view: DocView, si: int, window: int) -> set[str]:
    found: set[str] = set()
    for j in range(max(0, si - window), min(len(view.sents), si + window + 1)):
        found |= view.cues.get(j, set())
    return found


def _penalty(view: DocView, si: int, spec: EventTypesFile, event_type: str,
             armed: bool) -> tuple[float, list[str]]:
    factor = 1.0
    names: list[str] = []
    for name, neg in spec.negative_cues.items():
        if event_type in neg.spare or (armed and neg.spare_armed):
            continue
        lo, hi = max(0, si - neg.window), min(len(view.sents), si + neg.window + 1)
        if any(name in view.negative.get(j, set()) for j in range(lo, hi)):
            factor *= neg.factor
            names.append(name)
    return factor, names


def _number(token: Token, numbers: dict[str, int]) -> int | None:
    text = token.lower_.replace(",", "")
    if text.isdigit():
        return int(text)
    return numbers.get(text)


def _fatalities(sent: Span, view: DocView, numbers: dict[str, int]) -> int | None:
    """Deaths stated in the sentence: a number whose noun, or whose head, is a death word
    ("killing at least 12", "12 people were killed", "six dead"). Wounded are not counted."""
    for tok in sent:
        value = _number(tok, numbers)
        if value is None or tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"):
            continue
        noun = tok.head if tok.dep_ in ("nummod", "quantmod", "advmod") else tok
        near = {noun.i, noun.head.i, *(c.i for c in noun.children)}
        if noun.dep_ == "nsubjpass" or noun.dep_ == "nsubj":
            near.add(noun.head.i)
        if near & view.fatal_tokens:
            return value
    return None


def _role_actor(role: str, match: ActorMatch) -> Actor:
    return Actor(role=role, name=match.name, mention=match.span.text, iso3=match.iso3)  # type: ignore[arg-type]


@dataclass
class _Candidate:
    rule: int
    trigger: Span
    anchor: Token
    confidence: float
    actors: tuple[Actor, ...]
    reason: str


def detect_events(doc: Doc, vocab: EventVocab, conflict: Callable[[Span], bool] | None = None) -> list[EventMention]:
    """The conflict events stated in ``doc``, in text order, at most one per sub-event type
    and sentence.

    Every trigger is tried against every rule that lists it; the rule must hold (doer, target,
    cues). In each sentence a broad rule ("attack", "war") gives way to a specific one
    ("grenade", "airstrike"), and two readings of the same words keep the stronger. Events whose
    confidence falls below ``min_confidence`` after negative cues and the lead-sentence decay
    are dropped.
    """
    comp = compiled(vocab, doc)
    spec = comp.spec
    view = read_view(doc, comp)
    by_sentence: dict[int, list[_Candidate]] = defaultdict(list)
    armed_sents: set[int] = set()
    actor_tokens = set(view.actor_at)
    for rule_index, trigger in view.triggers:
        rule = spec.rules[rule_index]
        si = view.sent_of[trigger.start]
        near = _cues_near(view, si, rule.window)
        if rule.context_any and not near.intersection(rule.context_any):
            continue
        if near.intersection(rule.context_none):
            continue
        anchor = trigger.root
        while anchor.dep_ in ("compound", "amod") and anchor.head.i != anchor.i and anchor.head.i in range(
            trigger.start, trigger.end + 3
        ):
            anchor = anchor.head
        if not happened(anchor, spec.hypothetical, trigger.root, spec.attributes):
            continue
        agent_head, target_head = _arguments(anchor, trigger, actor_tokens)
        if (agent_head is not None and agent_head.i in view.cue_tokens.get(EXPLOSIVE_CUE, set())
                and comp.event_type[rule.sub_event_type] != "explosions_remote_violence"):
            continue  # "the blast that targeted the convoy": the explosion's own trigger gives the event
        agent = _actor_for(agent_head, view)
        if agent is None and anchor.i in view.actor_at:
            agent = view.actor_at[anchor.i]
        target = _actor_for(target_head, view)
        if target is not None and agent is not None and target.span == agent.span:
            target = None
        if not _agent_ok(rule.agent, agent, agent_head):
            continue
        if not _target_ok(rule.target, _target_kinds(target_head, target, view), target_head):
            continue
        if agent is not None and "armed" in agent.tags:
            armed_sents.add(si)
        position = max(spec.position_floor, 1.0 - spec.position_decay * si)
        actors: list[Actor] = []
        if agent is not None:
            actors.append(_role_actor("actor1", agent))
        if target is not None:
            actors.append(_role_actor("actor2", target))
        reason = f"rule {rule_index} '{trigger.text}'"
        by_sentence[si].append(
            _Candidate(rule_index, trigger, anchor, rule.confidence * position, tuple(actors), reason))
    for si, cands in by_sentence.items():
        # "Militants trafficked women, kidnapped children": an armed doer anywhere in the sentence
        # makes its crimes conflict violence.
        for c in cands:
            penalty, negatives = _penalty(view, si, spec, comp.event_type[spec.rules[c.rule].sub_event_type],
                                          armed=si in armed_sents)
            c.confidence *= penalty
            c.reason += f", near {'/'.join(negatives)}" if negatives else ""
    mentions: list[EventMention] = []
    for si in sorted(by_sentence):
        chosen = _choose(by_sentence[si], view.sents[si], vocab, comp, view)
        mentions.extend(m for m in chosen if _in_setting(m, si, spec, view, conflict))
    return mentions


def _in_setting(m: EventMention, si: int, spec: EventTypesFile, view: DocView,
                conflict: Callable[[Span], bool] | None) -> bool:
    """ACLED codes battles, bombings and attacks on civilians in a setting of armed conflict, arrests
    in a political one, protests wherever they happen: a "fight" for funding, a fire "engaging" crews
    or a burglar taken into custody in ordinary news is no event. ``conflict`` says whether a sentence
    is set in armed conflict (the document's category, or the sentence's own); None takes every
    sentence to be, for callers that read conflict reporting only."""
    allowed = spec.setting_of(m.event_type, m.sub_event_type)
    if "any" in allowed or conflict is None:
        return True
    if "conflict" in allowed and conflict(m.sentence):
        return True
    if "mass" in allowed and _many(m.anchor):
        return True
    return bool(_cues_near(view, si, 1).intersection(allowed))


def _many(anchor: Token) -> bool:
    """Whether the people acted on are many ("police detained 40 people", "hundreds were arrested"):
    mass arrests are political by their scale; one suspect taken into custody is a police report."""
    verb = anchor
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for arg in verb.children:
        # "a total of 649 individuals": the count may sit below the argument's head.
        # A plural anywhere in the argument ("a total of 649 individuals"), or a bare count ("arrested
        # 40"); "a 28-year-old man" is one.
        if arg.dep_ in ("nsubj", "nsubjpass", "dobj") and (
                arg.like_num or any(t.tag_ in ("NNS", "NNPS") for t in arg.subtree)):
            return True
    return False


def _circumstance(cand: _Candidate, others: list[_Candidate], spec: EventTypesFile) -> bool:
    """ "killed by a roadside bomb while battling the rebels": a "while" clause is the circumstance of
    the sentence's event of another kind, not a second event ("killed while fighting militants" is
    one clash, read from either verb)."""
    anchor = cand.anchor
    if not (anchor.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "while" for c in anchor.children)):
        return False
    clause = range(anchor.left_edge.i, anchor.right_edge.i + 1)
    own = spec.rules[cand.rule].sub_event_type
    return any(o.anchor.i not in clause and spec.rules[o.rule].sub_event_type != own for o in others)


def _own_date(anchor: Token) -> int | None:
    """Where the date of a trigger's own phrase starts: a DATE entity below the trigger ("the 2019
    overthrow") or on a prepositional phrase of the verb it is the object of ("staging a coup in
    2021"); ``None`` when the trigger has no date of its own."""
    holders = [anchor]
    if anchor.dep_ in ("dobj", "obj", "pobj") and anchor.head.pos_ == "VERB":
        holders.append(anchor.head)
    for holder in holders:
        for child in holder.children:
            if child.i == anchor.i:
                continue
            for tok in child.subtree:
                if tok.ent_type_ == "DATE" and tok.i != anchor.i:
                    return _ent_start(tok)
    return None


def _ent_start(tok: Token) -> int:
    """The first token of the entity ``tok`` is in, so two tokens of one date compare equal."""
    i = tok.i
    while i > 0 and tok.doc[i].ent_iob_ == "I":
        i -= 1
    return i


def _distinct_dates(a: Token, b: Token) -> bool:
    """Two mentions of one sub-event type in a sentence are two events when each carries a date
    of its own and the dates differ ("after the 2019 overthrow ... before staging a coup in
    2021"): historic events keep their own periods on the timeline."""
    if _related(a, b):
        return False
    da, db = _own_date(a), _own_date(b)
    return da is not None and db is not None and da != db


def _governs(upper: Token, lower: Token) -> bool:
    """True when ``lower`` hangs below ``upper`` in the parse: "attacked a checkpoint, killing
    five" is one attack on a checkpoint, read from the main verb."""
    node = lower
    while node.head.i != node.i:
        if node.dep_ == "conj":
            return False  # "killing two and burning homes": coordinated, each its own event
        node = node.head
        if node.i == upper.i:
            return True
    return False


def _outranks(other: _Candidate, cand: _Candidate, spec: EventTypesFile) -> bool:
    """Of two broad readings of one clause ("attacked a checkpoint, killing five"), keep the one
    whose rule names a kind of target (the checkpoint makes it a clash), else the stronger."""
    if not _related(other.anchor, cand.anchor):
        return False

    def rank(c: _Candidate) -> tuple[bool, float]:
        return spec.rules[c.rule].target in TARGET_KINDS, c.confidence

    return rank(other) > rank(cand)


def _related(a: Token, b: Token) -> bool:
    """Same token, or one governs the other in the parse."""
    return a.i == b.i or _governs(a, b) or _governs(b, a)


def _choose(
    candidates: list[_Candidate], sent: Span, vocab: EventVocab, comp: Compiled, view: DocView
) -> list[EventMention]:
    spec = comp.spec
    candidates = [c for c in candidates if not _circumstance(c, candidates, spec)]
    specific = [c.anchor for c in candidates if not spec.rules[c.rule].generic]
    ordered = sorted(candidates, key=lambda c: (-c.confidence, c.trigger.start))
    kept: list[_Candidate] = []
    for cand in ordered:
        rule = spec.rules[cand.rule]
        if cand.confidence < spec.min_confidence:
            continue
        # "a grenade attack killed two": the killing is the grenade event, not another attack.
        if rule.generic and any(_related(a, cand.anchor) for a in specific):
            continue
        if any(
            spec.rules[k.rule].sub_event_type == rule.sub_event_type and not _distinct_dates(k.anchor, cand.anchor)
            for k in kept
        ):
            continue
        if any(k.trigger.start < cand.trigger.end and cand.trigger.start < k.trigger.end for k in kept):
            continue
        if rule.generic and any(
            _outranks(o, cand, spec) for o in ordered if o is not cand and spec.rules[o.rule].generic
        ):
            continue
        kept.append(cand)
    fatalities = _fatalities(sent, view, comp.numbers) if kept else None
    evidence = Evidence(text=sent.text, start=sent.start_char, end=sent.end_char)
    out = []
    for cand in sorted(kept, key=lambda c: c.trigger.start):
        sub = spec.rules[cand.rule].sub_event_type
        out.append(
            EventMention(
                sentence=sent,
                trigger=cand.trigger,
                anchor=cand.anchor,
                event_type=comp.event_type[sub],
                sub_event_type=sub,
                actors=cand.actors,
                fatalities=fatalities,
                evidence=evidence,
                confidence=round(cand.confidence, 3),
                reason=cand.reason,
            )
        )
    return out

