"""Programs with TF1 input queues, as TF 2.21 users run them through tf.compat.v1 (v2 control flow on):
a queue-fed training loop driven by QueueRunner threads and a Coordinator, padding and seeded
random-shuffle queues, tf.compat.v1.train.shuffle_batch / batch(dynamic_pad=True), and a dequeue
that waits until another thread closes the queue.

Where threads race, the programs observe only what does not depend on the race: every enqueue is a
whole batch into a queue whose capacity is a multiple of it, so each dequeued batch is one batch
as enqueued. A private queue's name in TF's messages carries a process-wide id ("_3_fifo_queue"),
which depends on what ran before in the server, so the id is replaced by "<id>" here."""

import re
import threading
import time

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


def _no_ids(rec):
    """The record with private queue ids ("'_12_fifo_queue'") spelled "'_<id>_fifo_queue'"."""
    if isinstance(rec, dict):
        return {k: _no_ids(v) for k, v in rec.items()}
    if isinstance(rec, list):
        return [_no_ids(v) for v in rec]
    if isinstance(rec, str):
        return re.sub(r"'_\d+_", "'_<id>_", rec)
    return rec


@program(control_flow_v2=True)
def queue_runner_training(target):
    """A linear model trained from a FIFOQueue that two QueueRunner threads fill (each enqueue is
    the whole data set), under a Coordinator; the threads stop cleanly when the queue is closed."""
    g = tf.Graph()
    with g.as_default():
        xs = np.linspace(-1, 1, 8).astype(np.float32).reshape(8, 1)
        ys = (3 * xs - 0.5).astype(np.float32)
        q = tf.queue.FIFOQueue(32, [tf.float32, tf.float32], shapes=[[1], [1]])
        enqueue = q.enqueue_many((tf.constant(xs), tf.constant(ys)))
        qr = v1.train.QueueRunner(q, [enqueue] * 2)
        x, y = q.dequeue_many(8)
        w = v1.get_variable("w", [1, 1], initializer=v1.zeros_initializer())
        b = v1.get_variable("b", [1], initializer=v1.zeros_initializer())
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        train = v1.train.GradientDescentOptimizer(0.3).minimize(loss)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        sess.run(init)
        coord = v1.train.Coordinator()
        threads = qr.create_threads(sess, coord=coord, start=True)
        losses = [float(sess.run([loss, train])[0]) for _ in range(25)]
        r["losses"] = cap(lambda: np.array(losses, np.float32))
        r["w_b"] = cap(lambda: sess.run([w, b]))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
        r["threads_alive"] = cap(lambda: np.array([t.is_alive() for t in threads]))
        r["queue_closed"] = cap(lambda: sess.run(q.is_closed()))
    return _no_ids(r)


@program(control_flow_v2=True)
def start_queue_runners_coordinator(target):
    """tf.compat.v1.train.start_queue_runners over the QUEUE_RUNNERS collection (one runner with three
    threads), a consumer loop, then request_stop/join."""
    g = tf.Graph()
    with g.as_default():
        q = tf.queue.FIFOQueue(12, [tf.int32], shapes=[[4]])
        enqueue = q.enqueue_many([tf.reshape(tf.range(12), [3, 4])])
        v1.train.add_queue_runner(v1.train.QueueRunner(q, [enqueue] * 3))
        batch = q.dequeue_many(3)
        total = tf.reduce_sum(batch)
    r = {}
    with session(target, g) as sess:
        coord = v1.train.Coordinator()
        threads = v1.train.start_queue_runners(sess=sess, coord=coord)
        r["sums"] = cap(lambda: np.array([sess.run(total) for _ in range(10)]))
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
        r["stopped"] = cap(lambda: np.array([coord.should_stop(), all(not t.is_alive() for t in threads)]))
    return r


@program(control_flow_v2=True)
def padding_and_shuffle_queues(target):
    """A PaddingFIFOQueue's padded batches; a seeded RandomShuffleQueue's order (op seed with a graph
    seed), min_after_dequeue while open and the rest once closed; a PriorityQueue's order."""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(7)
        pq = tf.queue.PaddingFIFOQueue(10, [tf.int32, tf.string], shapes=[[None], []])
        seq = v1.placeholder(tf.int32, [None])
        word = v1.placeholder(tf.string, [])
        penq = pq.enqueue((seq, word))
        pbatch = pq.dequeue_many(3)
        rq = tf.queue.RandomShuffleQueue(50, 5, [tf.int64], shapes=[[]], seed=11)
        renq = rq.enqueue_many([tf.range(20, dtype=tf.int64)])
        rdeq = rq.dequeue_many(6)
        rsize = rq.size()
        rclose = rq.close()
        rrest = rq.dequeue_up_to(100)
        prio = tf.queue.PriorityQueue(10, [tf.string], shapes=[[]])
        penq2 = prio.enqueue_many(([4, 2, 9, 2, 0], ["d", "b", "z", "b2", "a"]))
        pdeq = prio.dequeue_many(5)
    r = {}
    with session(target, g) as sess:
        for s, wd in (([1, 2, 3], b"abc"), ([4], b"d"), ([], b""), ([5, 6], b"ef")):
            sess.run(penq, {seq: s, word: wd})
        r["padded"] = cap(lambda: sess.run(pbatch))
        sess.run(renq)
        r["shuffled"] = cap(lambda: sess.run(rdeq))
        r["shuffled_again"] = cap(lambda: sess.run(rdeq))
        r["left_open"] = cap(lambda: sess.run(rsize))
        sess.run(rclose)
        r["rest_after_close"] = cap(lambda: sess.run(rrest))
        r["priority"] = cap(lambda: (sess.run(penq2), sess.run(pdeq))[1])
    return r


@program(control_flow_v2=True)
def shuffle_batch_and_batch(target):
    """tf.compat.v1.train.shuffle_batch (seeded) and batch(dynamic_pad=True) over enqueue_many inputs,
    their enqueue ops run by hand a fixed number of times, so the queues' contents are known."""
    g = tf.Graph()
    with g.as_default():
        data = tf.constant(np.arange(30, dtype=np.float32).reshape(10, 3))
        labels = tf.constant(np.arange(10, dtype=np.int32))
        xb, lb = v1.train.shuffle_batch(
            [data, labels], batch_size=4, capacity=40, min_after_dequeue=10, enqueue_many=True, seed=3
        )
        ragged = v1.placeholder(tf.int32, [None])
        padded = v1.train.batch([ragged], batch_size=2, dynamic_pad=True, capacity=8)
        runners = v1.get_collection(v1.GraphKeys.QUEUE_RUNNERS)
        shuffle_enqueue = runners[0].enqueue_ops[0]
        batch_enqueue = runners[1].enqueue_ops[0]
    r = {"runners": sorted(type(q.queue).__name__ for q in runners)}
    with session(target, g) as sess:
        for _ in range(3):
            sess.run(shuffle_enqueue)
        r["batches"] = cap(lambda: [sess.run([xb, lb]) for _ in range(5)])
        sess.run(batch_enqueue, {ragged: [1, 2, 3]})
        sess.run(batch_enqueue, {ragged: [4]})
        r["dynamic_pad"] = cap(lambda: sess.run(padded))
    return r


@program(control_flow_v2=True)
def blocked_dequeue_ends_on_close(target):
    """A dequeue waiting on an empty queue until another thread closes it (OutOfRangeError), a
    dequeue_many that gets part of a batch before the close, and an enqueue on a full queue ended
    by close(cancel_pending_enqueues=True)."""
    g = tf.Graph()
    with g.as_default():
        q = tf.queue.FIFOQueue(3, [tf.float32], shapes=[[]])
        deq = q.dequeue()
        deq_many = q.dequeue_many(4)
        enq = q.enqueue_many([[1.0, 2.0]])
        close = q.close()
        full = tf.queue.FIFOQueue(1, [tf.int32], shapes=[[]], shared_name="full_q")
        fenq = full.enqueue([5])
        fcancel = full.close(cancel_pending_enqueues=True)
        fsize = full.size()
    r = {}
    with session(target, g) as sess:

        def later(op, delay):
            def run():
                time.sleep(delay)
                sess.run(op)

            t = threading.Thread(target=run)
            t.start()
            return t

        t = later(enq, 0.3)
        r["partial_batch_waits"] = cap(lambda: sess.run(deq_many, options=v1.RunOptions(timeout_in_ms=1500)))
        t.join()
        t = later(close, 0.4)
        r["waiting_dequeue_closed"] = cap(lambda: sess.run(deq))
        t.join()
        r["closed_again"] = cap(lambda: sess.run(close))
        sess.run(fenq)
        t = later(fcancel, 0.4)
        r["blocked_enqueue_cancelled"] = cap(lambda: sess.run(fenq))
        t.join()
        r["full_size"] = cap(lambda: sess.run(fsize))
    return _no_ids(r)
