import { kstToEpochSeconds } from '../../src/time/kst.js';
import { fixture, type RecordedRequest, type ReplayReply } from './replay-server.js';

type Item = Record<string, string>;

const asosItems = JSON.parse(fixture('kma/asos-108-items-2021-01-01_07.json')) as Item[];

function kstHour(date: string, hour: string): number {
  return kstToEpochSeconds(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8)), Number(hour));
}

function itemHour(item: Item): number {
  const [date, time] = item.tm.split(' ');
  const [year, month, day] = date.split('-').map(Number);
  return kstToEpochSeconds(year, month, day, Number(time.split(':')[0]));
}

/**
 * Replies to getWthrDataList like the service: the recorded 108 items inside startDt/startHh ..
 * endDt/endHh, one numOfRows-sized page per pageNo, in a JSON envelope (items.item, totalCount).
 * A range with no items gets code 03 (NO_DATA), as KMA returns it.
 */
export function asosReply(request: RecordedRequest): ReplayReply {
  const query = request.query;
  const from = kstHour(query.get('startDt')!, query.get('startHh')!);
  const to = kstHour(query.get('endDt')!, query.get('endHh')!);
  const matching = asosItems.filter((item) => item.stnId === query.get('stnIds') && itemHour(item) >= from && itemHour(item) <= to);
  if (matching.length === 0) {
    return { body: JSON.stringify({ response: { header: { resultCode: '03', resultMsg: 'NO_DATA' } } }) };
  }
  const pageSize = Number(query.get('numOfRows'));
  const pageNo = Number(query.get('pageNo'));
  const page = matching.slice((pageNo - 1) * pageSize, pageNo * pageSize);
  return {
    body: JSON.stringify({
      response: {
        header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
        body: { dataType: 'JSON', items: { item: page }, pageNo, numOfRows: pageSize, totalCount: matching.length },
      },
    }),
  };
}

/** Replies to getUltraSrtNcst with the recorded hour named by base_time (1100 or 1200). */
export function nowcastReply(request: RecordedRequest): ReplayReply {
  const baseTime = request.query.get('base_time');
  if (baseTime !== '1100' && baseTime !== '1200') {
    return { body: JSON.stringify({ response: { header: { resultCode: '03', resultMsg: 'NO_DATA' } } }) };
  }
  return { body: fixture(`kma/nowcast-20221227-${baseTime}-nx58-ny125.json`) };
}
