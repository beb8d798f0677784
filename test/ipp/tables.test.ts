// Wire-number tables: operations, status codes, tags and enums.
// SPDX-License-Identifier: Apache-2.0
import t from 'tap';
import { JobState, PrinterState } from '../../src/ipp/enums.js';
import { IppOp, opName } from '../../src/ipp/ops.js';
import { IPP_STATUS, isStatusKeyword, isSuccessful, statusCode, statusKeyword } from '../../src/ipp/status.js';
import { DelimiterTag, GROUP_NAME, GROUP_TAG, OUT_OF_BAND_NAME, OUT_OF_BAND_TAG, STRING_SYNTAX, STRING_TAG, ValueTag, tagName } from '../../src/ipp/tags.js';

t.test('operation codes match the registry and have spec spellings', async (t) => {
  t.equal(IppOp.PrintJob, 0x0002);
  t.equal(IppOp.GetPrinterAttributes, 0x000b);
  t.equal(IppOp.CancelMyJobs, 0x0039);
  t.equal(IppOp.CloseJob, 0x003b);
  t.equal(IppOp.IdentifyPrinter, 0x003c);
  t.equal(IppOp.ValidateDocument, 0x003d);
  t.equal(opName(0x000b), 'Get-Printer-Attributes');
  t.equal(opName(IppOp.PrintUri), 'Print-URI');
  t.equal(opName(IppOp.CreatePrinterSubscriptions), 'Create-Printer-Subscriptions');
  t.equal(opName(0x0032), undefined, '0x0032 is unassigned');
  t.equal(opName(0x4001), undefined);
  const codes = Object.values(IppOp);
  t.equal(new Set(codes).size, codes.length, 'codes are unique');
  t.ok(codes.every((code) => opName(code) !== undefined), 'every code has a name');
});

t.test('status keywords and codes map both ways', async (t) => {
  t.equal(statusCode('successful-ok'), 0x0000);
  t.equal(statusCode('client-error-gone'), 0x0407);
  t.equal(statusCode('server-error-multiple-document-jobs-not-supported'), 0x0509);
  t.equal(statusKeyword(0x0502), 'server-error-service-unavailable');
  t.equal(statusKeyword(0x0414), 'client-error-ignored-all-subscriptions');
  for (const [keyword, code] of Object.entries(IPP_STATUS)) {
    if (statusKeyword(code) !== keyword || !isStatusKeyword(keyword)) t.fail(keyword);
  }
  t.equal(new Set(Object.values(IPP_STATUS)).size, Object.keys(IPP_STATUS).length, 'codes are unique');
});

t.test('unregistered status codes and keywords degrade readably', async (t) => {
  t.equal(statusKeyword(0x04ff), '0x04ff');
  t.equal(statusCode('0x04ff'), 0x04ff);
  t.equal(statusCode('client-error-made-up'), 0x0500);
  t.notOk(isStatusKeyword('toString'));
  t.ok(isSuccessful(0x0001));
  t.notOk(isSuccessful(0x0400));
});

t.test('group tags map both ways and the end tag is not a group', async (t) => {
  for (const [name, tag] of Object.entries(GROUP_TAG)) t.equal(GROUP_NAME[tag], name);
  t.equal(GROUP_TAG.system, 0x0a);
  t.equal(GROUP_NAME[DelimiterTag.End], undefined);
  t.equal(GROUP_NAME[0x00], undefined);
});

t.test('value tag tables agree with the RFC 8010 numbers', async (t) => {
  t.equal(OUT_OF_BAND_TAG['admin-define'], 0x17);
  t.equal(OUT_OF_BAND_NAME[0x16], 'delete-attribute');
  t.equal(OUT_OF_BAND_NAME[0x11], undefined, '0x11 (default) is not an out-of-band keyword we model');
  t.equal(STRING_TAG.name, ValueTag.NameWithoutLanguage);
  t.equal(STRING_SYNTAX[0x41], 'text');
  t.equal(STRING_SYNTAX[0x43], undefined, '0x43 is reserved');
  t.equal(tagName(ValueTag.MemberAttrName), 'memberAttrName');
  t.equal(tagName(0x13), 'no-value');
  t.equal(tagName(0x02), 'job-attributes-tag');
  t.equal(tagName(0x5b), '0x5b');
});

t.test('enum tables carry the RFC 8011 values', async (t) => {
  t.same(PrinterState, { idle: 3, processing: 4, stopped: 5 });
  t.equal(JobState['pending-held'], 4);
  t.equal(JobState.completed, 9);
});
